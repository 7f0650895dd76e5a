import GRDB

/// Streams the facts of every subject in code order, reading each fact table once in index
/// order and merging them (a merge join), so whole-registry evaluation costs a few
/// microseconds of reading per subject instead of a handful of queries each. Rows are read
/// through the same ``FactQuery`` definitions as ``Registry/facts(of:asOf:in:)``, so a
/// subject's streamed facts equal its per-subject facts.
///
/// ```swift
/// try registry.read { db in
///     var stream = try FactsStream(db: db, asOf: today)
///     while let facts = try stream.next() { … }
/// }
/// ```
public struct FactsStream {
    private let asOf: Day?
    private let db: Database
    private let subjects: Statement
    private var statuses: FactRows<StatusAsOf.Change>?
    private var lists: FactRows<ListEntryFact>?
    private var grades: FactRows<TaxGradeFact>?
    private var penalties: FactRows<PenaltyFact>?
    private var licences: FactRows<LicenceFact>?
    private var keyPersons: FactRows<RelationFact>?
    private var roles: FactRows<RelationFact>?

    /// Opens the cursors inside a read (or write) transaction; statuses are those in effect on
    /// `asOf` (the latest when nil), as ``Registry/facts(of:asOf:in:)`` gives them. Only the
    /// subjects whose codes lie in `range` are streamed. Only the fact kinds in `kinds`
    /// are read (the others stay empty; without statuses, the subject row's status is as of
    /// `asOf` as the history-less resolution gives it).
    public init(db: Database, asOf: Day? = nil, range: CodeRange = .all,
                kinds: Set<FactPresence.Kind> = Set(FactPresence.Kind.allCases)) throws {
        self.asOf = asOf
        let c = range.condition("code")
        self.db = db
        subjects = try db.makeStatement(sql: "SELECT code, kind, name, status, status_since FROM subject WHERE \(c.sql) ORDER BY code")
        try subjects.setArguments(c.arguments)
        statuses = kinds.contains(.statuses) ? try FactQueries.statuses.stream(db, range) : nil
        lists = kinds.contains(.listEntries) ? try FactQueries.listEntries.stream(db, range) : nil
        grades = kinds.contains(.taxGrades) ? try FactQueries.taxGrades.stream(db, range) : nil
        penalties = kinds.contains(.penalties) ? try FactQueries.penalties.stream(db, range) : nil
        licences = kinds.contains(.licences) ? try FactQueries.licences.stream(db, range) : nil
        keyPersons = kinds.contains(.keyPersons) ? try FactQueries.keyPersons.stream(db, range) : nil
        roles = kinds.contains(.roles) ? try FactQueries.roles.stream(db, range) : nil
    }

    /// The next subject's facts, or nil at the end.
    public mutating func next() throws -> SubjectFacts? {
        guard try subjects.step(db) else { return nil }
        let s = FactRow(statement: subjects.sqliteStatement)
        let code = s.text(0)
        let kindText = s.text(1), statusText = s.text(3)
        guard let kind = SubjectKind(rawValue: kindText) else {
            throw StoredValueError(table: "subject", column: "kind", row: code, value: kindText)
        }
        guard let current = SubjectStatus(rawValue: statusText) else {
            throw StoredValueError(table: "subject", column: "status", row: code, value: statusText)
        }
        let since = try s.day(4, "status_since", table: "subject", subject: code)
        let name = s.text(2)
        let (status, statusSince) = StatusAsOf.resolve(current: current, since: since, history: try statuses?.values(for: code) ?? [], asOf: asOf)
        var f = SubjectFacts(code: code, kind: kind, name: name, status: status, statusSince: statusSince)
        f.listEntries = try lists?.values(for: code) ?? []
        f.taxGrades = try grades?.values(for: code) ?? []
        f.penalties = try penalties?.values(for: code) ?? []
        f.licences = try licences?.values(for: code) ?? []
        f.keyPersons = try keyPersons?.values(for: code) ?? []
        f.roles = try roles?.values(for: code) ?? []
        f.sortCanonically()
        return f
    }
}
