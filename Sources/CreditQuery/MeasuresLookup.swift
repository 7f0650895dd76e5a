import CreditRegistry
import Decisions
import GRDB

/// The look-up officers and systems call most: a subject's identity and the measures in force
/// on a day, without the full report. One alias probe and one decision read.
public struct MeasuresLookup: Sendable {
    /// A subject's identity and measures; the code is masked for callers who may not see
    /// personal ID numbers.
    public struct Result: Sendable, Hashable {
        public var code: String
        /// The unmasked registry key (for the audit entry; never shown to the caller).
        public var registryCode: String
        public var name: String
        public var kind: SubjectKind
        public var status: SubjectStatus
        public var asOf: Day
        public var measures: [StoredDecision]
    }

    public let registry: Registry
    public let decisions: any DecisionProvider

    public init(registry: Registry, decisions: any DecisionProvider) {
        self.registry = registry
        self.decisions = decisions
    }

    /// The subject any identifier names and its measures on `asOf`, or nil.
    public func lookUp(_ identifier: String, asOf: Day, maySeePersonalIDs: Bool) throws -> Result? {
        try registry.read { db in try lookUp(identifier, asOf: asOf, maySeePersonalIDs: maySeePersonalIDs, in: db) }
    }

    /// ``lookUp(_:asOf:maySeePersonalIDs:)`` inside a read transaction the caller holds (a
    /// service answers many concurrent look-ups from one snapshot).
    public func lookUp(_ identifier: String, asOf: Day, maySeePersonalIDs: Bool, in db: Database) throws -> Result? {
        guard let s = try registry.lookup(identifier, in: db) else { return nil }
        let ds = try decisions.decisions(for: s.code, asOf: asOf, in: db)
        let shown = maySeePersonalIDs || s.kind != .naturalPerson ? s.code : IdentityMask.residentID(s.code)
        return Result(code: shown, registryCode: s.code, name: s.name, kind: s.kind, status: s.status, asOf: asOf, measures: ds)
    }
}
