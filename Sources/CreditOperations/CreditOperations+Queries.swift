import CreditQuery
import CreditRegistry
import Decisions
import Foundation
import Logging

/// Who is asking, as the audit log records them and as privacy rules see them.
public struct Viewer: Sendable, Hashable {
    /// Recorded as the actor of every audit entry (e.g. `api:officer-07`, `cli:alice`).
    public var actor: String
    /// Whether resident ID numbers are shown in full to this viewer (asked for and allowed;
    /// each time audited as `unmask`).
    public var maySeePersonalIDs: Bool
    /// The account's role, when the viewer is an account (recorded in audit details; decides
    /// what a batch check shows of persons). Nil: an operator at the command line.
    public var role: AccountRole?

    public init(actor: String, maySeePersonalIDs: Bool, role: AccountRole? = nil) {
        self.actor = actor
        self.maySeePersonalIDs = maySeePersonalIDs
        self.role = role
    }

    /// `role bank; ` for audit details, or nothing.
    var rolePrefix: String { role.map { "role \($0.rawValue); " } ?? "" }
}

/// One measures look-up: what is asked, on which day (nil: today), by whom.
public struct MeasuresRequest: Sendable {
    public var identifier: String
    public var asOf: Day?
    public var viewer: Viewer

    public init(identifier: String, asOf: Day?, viewer: Viewer) {
        self.identifier = identifier; self.asOf = asOf; self.viewer = viewer
    }
}

extension CreditOperations {
    /// The credit report of the subject any identifier names, on the active rule set's decisions.
    /// Audited before it returns: a `lookup` entry (also when nothing is found) and an `unmask`
    /// entry when ID numbers are shown in full.
    public func report(_ identifier: String, options: ReportBuilder.Options) throws -> SubjectReport? {
        let (report, entries) = try lookUpReport(identifier, options: options)
        try recordAudit(entries)
        return report
    }

    /// ``report(_:options:)`` without writing its audit entries: returns them, for a caller that
    /// commits many look-ups' entries together (``recordAudit(_:)``) before answering.
    public func lookUpReport(_ identifier: String, options: ReportBuilder.Options) throws -> (report: SubjectReport?, audit: [AuditLog.Pending]) {
        var options = options
        options.asOf = day(options.asOf)
        if let slices {
            return try slices.withReportSlice(of: identifier, asOf: day(options.asOf), decided: { slice, decisions in
                try ReportBuilder(registry: slice, decisions: decisions).lookUp(identifier, options: options)
            })
        }
        return try ReportBuilder(registry: registry, decisions: try activeRules.provider()).lookUp(identifier, options: options)
    }

    /// A subject's identity and measures in force on `asOf` (default today), masked for the viewer.
    /// Returns the audit entry to commit before answering (see ``lookUpReport(_:options:)``).
    public func lookUpMeasures(_ identifier: String, asOf: Day? = nil, viewer: Viewer) throws -> (result: MeasuresLookup.Result?, audit: [AuditLog.Pending]) {
        try lookUpMeasures([MeasuresRequest(identifier: identifier, asOf: asOf, viewer: viewer)])[0].get()
    }

    /// Many measures look-ups answered from one read transaction (one snapshot): a server groups
    /// the look-ups that arrive together, so each costs one probe, not a transaction and a thread
    /// hop. Each request gets its own result, or its own error.
    public func lookUpMeasures(_ requests: [MeasuresRequest]) throws -> [Result<(result: MeasuresLookup.Result?, audit: [AuditLog.Pending]), any Error>] {
        let today = clock.today()
        let queries = requests.map { MeasuresQuery(identifier: $0.identifier, asOf: $0.asOf ?? today, maySeePersonalIDs: $0.viewer.maySeePersonalIDs) }
        let answers = try reader.lookUpMeasures(queries)
        return requests.indices.map { i -> Result<(result: MeasuresLookup.Result?, audit: [AuditLog.Pending]), any Error> in
            let r = requests[i], q = queries[i]
            return answers[i].map { (result: MeasuresLookup.Result?) -> (result: MeasuresLookup.Result?, audit: [AuditLog.Pending]) in
                var entries = [AuditLog.Pending(actor: r.viewer.actor, action: "lookup", subject: result?.registryCode,
                                                detail: r.viewer.rolePrefix + "measures as-of \(q.asOf)"
                                                    + (result == nil ? " not found: \(IdentityMask.forDisplay(r.identifier))" : ""))]
                if let result, r.viewer.maySeePersonalIDs, result.kind == .naturalPerson {
                    entries.append(AuditLog.Pending(actor: r.viewer.actor, action: "unmask", subject: result.registryCode,
                                                    detail: r.viewer.rolePrefix + "resident ID shown in full (measures)"))
                }
                return (result, entries)
            }
        }
    }

    /// ``lookUpMeasures(_:asOf:viewer:)`` with its audit entry written.
    public func measures(_ identifier: String, asOf: Day? = nil, viewer: Viewer) throws -> MeasuresLookup.Result? {
        let (result, entries) = try lookUpMeasures(identifier, asOf: asOf, viewer: viewer)
        try recordAudit(entries)
        return result
    }

    /// Organisations whose name (current or former) contains `text`, ranked; audited.
    public func searchNames(_ text: String, limit: Int = 20, asOf: Day? = nil, viewer: Viewer) throws -> [NameHit] {
        let hits = try reader.searchNames(text, limit: limit, asOf: day(asOf), unmask: viewer.maySeePersonalIDs)
        let shown = hits.map(\.code).joined(separator: ",")
        try recordAudit([AuditLog.Pending(actor: viewer.actor, action: "search", subject: nil,
                                          detail: viewer.rolePrefix + "name '\(text)' limit \(limit): \(hits.count) hits [\(shown)]")])
        return hits
    }

    /// Writes audit entries in one transaction of the audit log, then a checkpoint when one is
    /// due (a failed checkpoint is logged, never lost entries: the next one covers them).
    /// Throws ``OperationError/busy(_:)`` when another process holds the audit log too long.
    public func recordAudit(_ entries: [AuditLog.Pending]) throws {
        guard !entries.isEmpty else { return }
        try OperationError.mappingBusy(.audit) { try auditTrail.append(entries) }
        metrics.auditCommitted(entries.count)
        do { try auditTrail.checkpointIfDue() } catch {
            logger.error("audit checkpoint not written", metadata: ["error": "\(error)"])
        }
    }

    /// Writes a signed checkpoint of the audit log's count and head when this process appended
    /// entries since its last one: adapters call it when they shut down (and the service on a timer).
    @discardableResult
    public func checkpointAudit() throws -> AuditCheckpoint? {
        try OperationError.mappingBusy(.audit) { try auditTrail.checkpointIfAppended() }
    }

    /// Checks every audit entry's MAC and link and every checkpoint (see ``AuditVerification``).
    public func verifyAudit() throws -> AuditVerification { try auditTrail.verify() }

    /// The latest audit entries, about the subject any identifier names when given (nil when
    /// that identifier names no subject).
    public func auditEntries(subject identifier: String?, limit: Int) throws -> [AuditLog.Entry]? {
        var code: String?
        if let identifier {
            // Resolved where the registry is (SQLite or PostgreSQL), as feedback resolves its subject.
            guard let c = try feedbackKeeper.subjectCode(identifier) else { return nil }
            code = c
        }
        return try auditTrail.entries(subject: code, limit: limit)
    }
}
