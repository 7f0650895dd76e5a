import GRDB

/// Streams the facts of every subject in code order, reading each fact table once in index
/// order and merging them (a merge join), so whole-registry evaluation costs a few
/// microseconds of reading per subject instead of a handful of queries each. Rows are decoded
/// by column position straight into facts.
///
/// ```swift
/// try registry.read { db in
///     var stream = try FactsStream(db: db)
///     while let facts = try stream.next() { … }
/// }
/// ```
public struct FactsStream {
    private var subjects: RowCursor
    private var lists: Merge<ListEntryFact>
    private var grades: Merge<TaxGradeFact>
    private var penalties: Merge<PenaltyFact>
    private var licences: Merge<LicenceFact>
    private var keyPersons: Merge<RelationFact>
    private var roles: Merge<RelationFact>

    /// Opens the cursors inside a read (or write) transaction.
    public init(db: Database) throws {
        subjects = try Row.fetchCursor(db, sql: "SELECT code, kind, name, status, status_since FROM subject ORDER BY code")
        lists = try Merge(db, """
            SELECT subject_code, list, entered_on, exited_on, ground, entry_record, exit_record FROM list_entry ORDER BY subject_code
            """) { r in
            guard let entered = Self.day(r, 2) else { return nil }
            var ids: [Int64] = [r[5]]
            if let x = r[6] as Int64? { ids.append(x) }
            return ListEntryFact(list: r[1], enteredOn: entered, exitedOn: Self.day(r, 3), ground: r[4], recordIDs: ids)
        }
        grades = try Merge(db, "SELECT subject_code, year, grade, published_on, record_id FROM tax_grade ORDER BY subject_code, year") { r in
            guard let g = TaxGrade(rawValue: r[2]), let p = Self.day(r, 3) else { return nil }
            return TaxGradeFact(year: r[1], grade: g, publishedOn: p, recordID: r[4])
        }
        penalties = try Merge(db, """
            SELECT subject_code, document_number, decided_on, types, fine_micro_wan, severity, authority, publicity_end,
                   repaired_on, revoked_on, record_id FROM penalty ORDER BY subject_code
            """) { r in
            guard let decided = Self.day(r, 2) else { return nil }
            let types: String = r[3]
            return PenaltyFact(documentNumber: r[1], decidedOn: decided, types: types.split(separator: ";").map(String.init),
                               fineMicroWan: r[4], severity: PenaltySeverity(rawValue: r[5]) ?? .general, authority: r[6] ?? "",
                               publicityEnd: Self.day(r, 7), repairedOn: Self.day(r, 8), revokedOn: Self.day(r, 9), recordID: r[10])
        }
        licences = try Merge(db, """
            SELECT subject_code, number, type, granted_on, valid_until, revoked_on, record_id FROM licence ORDER BY subject_code
            """) { r in
            guard let granted = Self.day(r, 3) else { return nil }
            return LicenceFact(number: r[1], type: r[2], grantedOn: granted, validUntil: Self.day(r, 4), revokedOn: Self.day(r, 5), recordID: r[6])
        }
        let relationColumns = "role, from_code, to_code, valid_from, valid_to, record_id"
        keyPersons = try Merge(db, "SELECT from_code, \(relationColumns) FROM relation ORDER BY from_code", decode: Self.relation)
        roles = try Merge(db, "SELECT to_code, \(relationColumns) FROM relation ORDER BY to_code", decode: Self.relation)
    }

    /// The next subject's facts (whole history), or nil at the end.
    public mutating func next() throws -> SubjectFacts? {
        guard let s = try subjects.next() else { return nil }
        let code: String = s[0]
        var f = SubjectFacts(code: code, kind: SubjectKind(rawValue: s[1]) ?? .other, name: s[2],
                             status: SubjectStatus(rawValue: s[3]) ?? .active, statusSince: Self.day(s, 4))
        f.listEntries = try lists.values(for: code)
        f.taxGrades = try grades.values(for: code)
        f.penalties = try penalties.values(for: code)
        f.licences = try licences.values(for: code)
        f.keyPersons = try keyPersons.values(for: code)
        f.roles = try roles.values(for: code)
        if f.listEntries.count > 1 { f.listEntries.sort { ($0.enteredOn, $0.list) < ($1.enteredOn, $1.list) } }
        if f.penalties.count > 1 { f.penalties.sort { ($0.decidedOn, $0.documentNumber) < ($1.decidedOn, $1.documentNumber) } }
        return f
    }

    private static func day(_ row: Row, _ index: Int) -> Day? {
        guard let text = row[index] as String? else { return nil }
        var t = text
        return t.withUTF8 { Day.parse($0) }
    }

    private static func relation(_ r: Row) -> RelationFact? {
        guard let role = RelationRole(rawValue: r[1]), let from = day(r, 4) else { return nil }
        return RelationFact(role: role, from: r[2], to: r[3], validFrom: from, validTo: day(r, 5), recordID: r[6] ?? 0)
    }

    /// A cursor over rows ordered by subject code (column 0), decoded one row ahead.
    private struct Merge<Value> {
        let cursor: RowCursor
        let decode: (Row) -> Value?
        var pending: (code: String, value: Value?)?
        var started = false

        init(_ db: Database, _ sql: String, decode: @escaping (Row) -> Value?) throws {
            cursor = try Row.fetchCursor(db, sql: sql)
            self.decode = decode
        }

        private mutating func advance() throws {
            if let row = try cursor.next() { pending = (row[0], decode(row)) } else { pending = nil }
        }

        /// The values of the rows for `code`; rows of codes before it (facts of subjects that
        /// are not registered) are skipped.
        mutating func values(for code: String) throws -> [Value] {
            if !started { try advance(); started = true }
            var out: [Value] = []
            while let p = pending {
                if p.code < code { try advance(); continue }
                if p.code > code { break }
                if let v = p.value { out.append(v) }
                try advance()
            }
            return out
        }
    }
}
