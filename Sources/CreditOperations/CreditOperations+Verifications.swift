import CreditRegistry
import Decisions
import Foundation
import RuleEngine

/// What an officer (or a feed) established about a fact the registry cannot show.
public struct VerificationRequest: Sendable {
    /// Any identifier of the subject the fact concerns.
    public var identifier: String
    public var fact: VerifiableFact
    /// True: established; false: checked and not established.
    public var holds: Bool
    public var from: Day?
    public var until: Day?

    public init(identifier: String, fact: VerifiableFact, holds: Bool, from: Day? = nil, until: Day? = nil) {
        self.identifier = identifier; self.fact = fact; self.holds = holds; self.from = from; self.until = until
    }
}

/// The outcome of ``CreditOperations/recordVerification(_:viewer:)``.
public struct VerificationRecorded: Sendable, Codable {
    public var subject: String
    public var fact: String
    public var holds: Bool
    public var recordID: Int64
    /// Subjects whose materialised decisions were recomputed (nil when no rule set is active).
    public var subjectsReevaluated: Int?
}

extension CreditOperations {
    /// Records a verification and recomputes the materialised decisions of the subject and of the
    /// persons its measures reach in one transaction, so a measure "to verify" and the fact that
    /// settles it never disagree; its audit entry is written first (the audit log has a file of
    /// its own), a `verify.failed` entry follows if the transaction does not commit.
    public func recordVerification(_ request: VerificationRequest, viewer: Viewer) throws -> VerificationRecorded {
        let code: String
        do { code = try SubjectCode.parse(request.identifier).key } catch {
            throw VerificationRequestError.unknownSubject(IdentityMask.forDisplay(request.identifier))
        }
        if let decisionStore { return try recordVerification(request, code: code, viewer: viewer, in: decisionStore) }
        let rules = try activeRules.provider().rules
        let today = clock.today()
        let registry = self.registry
        let source = viewer.actor
        guard try registry.read({ db in try registry.subject(code: code, in: db) }) != nil else {
            throw VerificationRequestError.unknownSubject(IdentityMask.forDisplay(request.identifier))
        }
        let detail = "\(request.fact.rawValue) \(request.holds ? "holds" : "does not hold")"
            + (request.from.map { " from \($0)" } ?? "") + (request.until.map { " until \($0)" } ?? "")
        let result = try audited(actor: source, action: "verify", subject: code, detail: detail) {
            try registry.write { db -> VerificationRecorded in
                guard try registry.subject(code: code, in: db) != nil else {
                    throw VerificationRequestError.unknownSubject(IdentityMask.forDisplay(request.identifier))
                }
                let fact = VerificationFact(fact: request.fact, holds: request.holds, from: request.from, until: request.until, source: source)
                let id = try VerificationStore.record(fact, subject: code, recordedOn: today, in: db)
                var reevaluated: Int?
                if let rules {
                    let summary = try DecisionMaterialiser(rules: rules, registry: registry).materialise(touched: [code], asOf: today, in: db)
                    reevaluated = summary.subjectsEvaluated
                }
                return VerificationRecorded(subject: code, fact: request.fact.rawValue, holds: request.holds, recordID: id,
                                            subjectsReevaluated: reevaluated)
            }
        }
        logger.info("verification recorded", metadata: ["fact": "\(request.fact.rawValue)", "holds": "\(request.holds)"])
        return result
    }

    /// ``recordVerification(_:viewer:)`` on a store that keeps the decisions itself (PostgreSQL):
    /// the same checks, audit entry and re-evaluation, in the store's transaction.
    private func recordVerification(_ request: VerificationRequest, code: String, viewer: Viewer,
                                    in store: any DecisionStore) throws -> VerificationRecorded {
        let today = clock.today()
        let detail = "\(request.fact.rawValue) \(request.holds ? "holds" : "does not hold")"
            + (request.from.map { " from \($0)" } ?? "") + (request.until.map { " until \($0)" } ?? "")
        let fact = VerificationFact(fact: request.fact, holds: request.holds, from: request.from, until: request.until, source: viewer.actor)
        let result = try audited(actor: viewer.actor, action: "verify", subject: code, detail: detail) {
            guard let (id, reevaluated) = try store.recordVerification(fact, subject: code, recordedOn: today, asOf: today) else {
                throw VerificationRequestError.unknownSubject(IdentityMask.forDisplay(request.identifier))
            }
            return VerificationRecorded(subject: code, fact: request.fact.rawValue, holds: request.holds, recordID: id,
                                        subjectsReevaluated: reevaluated)
        }
        logger.info("verification recorded", metadata: ["fact": "\(request.fact.rawValue)", "holds": "\(request.holds)"])
        return result
    }
}

/// A verification that cannot be recorded.
public enum VerificationRequestError: Error, CustomStringConvertible, Equatable {
    case unknownSubject(String)

    public var description: String {
        switch self {
        case .unknownSubject(let s): "no registered subject '\(s)': a verification concerns a subject of the registry"
        }
    }
}
