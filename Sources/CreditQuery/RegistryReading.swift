import CreditRegistry
import Decisions

/// The reads the look-up use-cases make, whichever database holds the registry: the SQLite
/// store (through ``MeasuresLookup``, ``NameSearch`` and the account table) or the PostgreSQL
/// backend. The use-case layer calls only this, so auditing, masking of what is asked and
/// role boundaries stay in one place for both.
public protocol RegistryReading: Sendable {
    /// Answers many measures look-ups from one snapshot; each query gets its own result or error.
    func lookUpMeasures(_ queries: [MeasuresQuery]) throws -> [Result<MeasuresLookup.Result?, any Error>]
    /// Organisations whose current or former name contains `text`, ranked as ``NameSearch`` ranks them.
    func searchNames(_ text: String, limit: Int, asOf: Day, unmask: Bool) throws -> [NameHit]
    /// The live (unrevoked) account whose token has this SHA-256 digest.
    func activeAccount(digest: String) throws -> StoredAccount?
}

/// One measures look-up as the store sees it: which identifier, on which day, and whether
/// resident IDs may be shown in full.
public struct MeasuresQuery: Sendable, Hashable {
    public var identifier: String
    public var asOf: Day
    public var maySeePersonalIDs: Bool

    public init(identifier: String, asOf: Day, maySeePersonalIDs: Bool) {
        self.identifier = identifier; self.asOf = asOf; self.maySeePersonalIDs = maySeePersonalIDs
    }
}

extension MeasuresLookup.Result {
    /// A result built by another store (the PostgreSQL backend); `code` is already masked as the viewer may see it.
    public static func found(code: String, registryCode: String, name: String, kind: SubjectKind, status: SubjectStatus, asOf: Day,
                             measures: [StoredDecision]) -> Self {
        Self(code: code, registryCode: registryCode, name: name, kind: kind, status: status, asOf: asOf, measures: measures)
    }
}

extension NameHit {
    /// A hit found by another store (the PostgreSQL backend).
    public static func found(code: String, kind: SubjectKind, name: String, matchedName: String, former: Bool, match: Match,
                             status: SubjectStatus, hasMeasures: Bool) -> Self {
        Self(code: code, kind: kind, name: name, matchedName: matchedName, former: former, match: match, status: status, hasMeasures: hasMeasures)
    }
}

/// The ranking of ``NameSearch`` for stores that gather candidate names their own way.
public enum NameRanking {
    /// A name that contains the query, classified and placed as ``NameSearch`` ranks it.
    public struct Ranked: Sendable, Hashable {
        public var code: String
        public var name: String
        public var former: Bool
        public var match: NameHit.Match
    }

    /// One hit per subject (its best match), ranked; names that do not contain `query` are dropped.
    public static func rank(_ names: [(code: String, name: String, former: Bool)], query: String) -> [Ranked] {
        let q = Array(query.unicodeScalars)
        let candidates = names.compactMap { NameSearch.Candidate(code: $0.code, name: $0.name, former: $0.former, query: q) }
        return NameSearch.bestPerSubject(candidates).map { Ranked(code: $0.code, name: $0.name, former: $0.former, match: $0.match) }
    }

    /// The query trimmed and without control characters.
    public static func clean(_ text: String) -> String { NameSearch.clean(text) }
}
