import GRDB

/// Reads one subject's facts at a time by code, through statements prepared once, decoded as
/// ``FactsStream`` decodes them: for the few subjects of a registry worth reading before a
/// whole-registry stream (those that may bring something to the subjects serving them).
public struct SubjectFactsProbe {
    private let db: Database
    private let probes: SubjectProbes
    private let asOf: Day?
    private let kinds: Set<FactPresence.Kind>

    /// Prepares the statements inside a read (or write) transaction; statuses are those in effect
    /// on `asOf`, and only the fact kinds in `kinds` are read, as ``FactsStream/init(db:asOf:range:kinds:)``
    /// gives them.
    public init(db: Database, asOf: Day?, kinds: Set<FactPresence.Kind>) throws {
        self.db = db
        self.asOf = asOf
        self.kinds = kinds
        probes = try SubjectProbes(db)
    }

    /// The facts of the subject with `code`, or nil when there is none.
    public func facts(of code: String) throws -> SubjectFacts? {
        try probes.facts(of: code, asOf: asOf, in: db, presence: nil, kinds: kinds)
    }
}
