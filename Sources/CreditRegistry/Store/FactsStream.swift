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
    private var subjects: RowCursor
    private var statuses: Merge<StatusAsOf.Change>
    private var lists: Merge<ListEntryFact>
    private var grades: Merge<TaxGradeFact>
    private var penalties: Merge<PenaltyFact>
    private var licences: Merge<LicenceFact>
    private var keyPersons: Merge<RelationFact>
    private var roles: Merge<RelationFact>

    /// Opens the cursors inside a read (or write) transaction; statuses are those in effect on
    /// `asOf` (the latest when nil), as ``Registry/facts(of:asOf:in:)`` gives them.
    public init(db: Database, asOf: Day? = nil) throws {
        self.asOf = asOf
        subjects = try Row.fetchCursor(db, sql: "SELECT code, kind, name, status, status_since FROM subject ORDER BY code")
        statuses = try Merge(db, FactQueries.statuses)
        lists = try Merge(db, FactQueries.listEntries)
        grades = try Merge(db, FactQueries.taxGrades)
        penalties = try Merge(db, FactQueries.penalties)
        licences = try Merge(db, FactQueries.licences)
        keyPersons = try Merge(db, FactQueries.keyPersons)
        roles = try Merge(db, FactQueries.roles)
    }

    /// The next subject's facts, or nil at the end.
    public mutating func next() throws -> SubjectFacts? {
        guard let s = try subjects.next() else { return nil }
        let code: String = s[0]
        let kindText: String = s[1], statusText: String = s[3]
        guard let kind = SubjectKind(rawValue: kindText) else {
            throw StoredValueError(table: "subject", column: "kind", row: code, value: kindText)
        }
        guard let current = SubjectStatus(rawValue: statusText) else {
            throw StoredValueError(table: "subject", column: "status", row: code, value: statusText)
        }
        let since = try FactQuery<Void>.day(s, 4, "status_since", table: "subject", subject: code)
        let (status, statusSince) = StatusAsOf.resolve(current: current, since: since, history: try statuses.values(for: code), asOf: asOf)
        var f = SubjectFacts(code: code, kind: kind, name: s[2], status: status, statusSince: statusSince)
        f.listEntries = try lists.values(for: code)
        f.taxGrades = try grades.values(for: code)
        f.penalties = try penalties.values(for: code)
        f.licences = try licences.values(for: code)
        f.keyPersons = try keyPersons.values(for: code)
        f.roles = try roles.values(for: code)
        f.sortCanonically()
        return f
    }

    /// A cursor over rows ordered by subject code (column 0), decoded one row ahead.
    private struct Merge<Value> {
        let cursor: RowCursor
        let query: FactQuery<Value>
        var pending: (code: String, value: Value)?
        var started = false

        init(_ db: Database, _ query: FactQuery<Value>) throws {
            cursor = try Row.fetchCursor(db, sql: query.streamSQL)
            self.query = query
        }

        private mutating func advance() throws {
            if let row = try cursor.next() {
                let code: String = row[0]
                pending = (code, try query.decode(row, code))
            } else { pending = nil }
        }

        /// The values of the rows for `code`; rows of codes before it (facts of subjects that
        /// are not registered) are skipped.
        mutating func values(for code: String) throws -> [Value] {
            if !started { try advance(); started = true }
            var out: [Value] = []
            while let p = pending {
                if p.code < code { try advance(); continue }
                if p.code > code { break }
                out.append(p.value)
                try advance()
            }
            return out
        }
    }
}
