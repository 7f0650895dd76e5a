import GRDB

/// Streams the facts of every subject in code order, reading each fact table once in index
/// order and merging them (a merge join), so whole-registry evaluation costs a few
/// microseconds of reading per subject instead of a handful of queries each.
///
/// ```swift
/// try registry.read { db in
///     var stream = try FactsStream(db: db)
///     while let facts = try stream.next() { … }
/// }
/// ```
public struct FactsStream {
    private var subjects: RowCursor
    private var lists: Peeking
    private var grades: Peeking
    private var penalties: Peeking
    private var licences: Peeking
    private var keyPersons: Peeking
    private var roles: Peeking

    /// Opens the cursors inside a read transaction, optionally only for codes in `range`.
    public init(db: Database) throws {
        subjects = try Row.fetchCursor(db, sql: "SELECT code, kind, name, status, status_since FROM subject ORDER BY code")
        lists = Peeking(try Row.fetchCursor(db, sql: """
            SELECT subject_code, list, entered_on, exited_on, ground, entry_record, exit_record FROM list_entry ORDER BY subject_code
            """))
        grades = Peeking(try Row.fetchCursor(db, sql: "SELECT subject_code, year, grade, published_on, record_id FROM tax_grade ORDER BY subject_code, year"))
        penalties = Peeking(try Row.fetchCursor(db, sql: "SELECT * FROM penalty ORDER BY subject_code"))
        licences = Peeking(try Row.fetchCursor(db, sql: "SELECT * FROM licence ORDER BY subject_code"))
        keyPersons = Peeking(try Row.fetchCursor(db, sql: "SELECT from_code AS subject_code, * FROM relation ORDER BY from_code"))
        roles = Peeking(try Row.fetchCursor(db, sql: "SELECT to_code AS subject_code, * FROM relation ORDER BY to_code"))
    }

    /// The next subject's facts (whole history), or nil at the end.
    public mutating func next() throws -> SubjectFacts? {
        guard let s = try subjects.next() else { return nil }
        let code: String = s["code"]
        var f = SubjectFacts(code: code, kind: SubjectKind(rawValue: s["kind"]) ?? .other, name: s["name"],
                             status: SubjectStatus(rawValue: s["status"]) ?? .active,
                             statusSince: (s["status_since"] as String?).flatMap { try? Day($0) })
        try lists.rows(for: code) { row in
            guard let entered = Self.day(row, "entered_on") else { return }
            var ids: [Int64] = [row["entry_record"]]
            if let x = row["exit_record"] as Int64? { ids.append(x) }
            f.listEntries.append(ListEntryFact(list: row["list"], enteredOn: entered, exitedOn: Self.day(row, "exited_on"),
                                               ground: row["ground"], recordIDs: ids))
        }
        try grades.rows(for: code) { row in
            guard let g = TaxGrade(rawValue: row["grade"]), let p = Self.day(row, "published_on") else { return }
            f.taxGrades.append(TaxGradeFact(year: row["year"], grade: g, publishedOn: p, recordID: row["record_id"]))
        }
        try penalties.rows(for: code) { row in
            guard let decided = Self.day(row, "decided_on") else { return }
            f.penalties.append(PenaltyFact(documentNumber: row["document_number"], decidedOn: decided,
                                           types: (row["types"] as String).split(separator: ";").map(String.init),
                                           fineMicroWan: row["fine_micro_wan"], severity: PenaltySeverity(rawValue: row["severity"]) ?? .general,
                                           authority: row["authority"] ?? "", publicityEnd: Self.day(row, "publicity_end"),
                                           repairedOn: Self.day(row, "repaired_on"), revokedOn: Self.day(row, "revoked_on"), recordID: row["record_id"]))
        }
        try licences.rows(for: code) { row in
            guard let granted = Self.day(row, "granted_on") else { return }
            f.licences.append(LicenceFact(number: row["number"], type: row["type"], grantedOn: granted, validUntil: Self.day(row, "valid_until"),
                                          revokedOn: Self.day(row, "revoked_on"), recordID: row["record_id"]))
        }
        try keyPersons.rows(for: code) { row in if let r = Self.relation(row) { f.keyPersons.append(r) } }
        try roles.rows(for: code) { row in if let r = Self.relation(row) { f.roles.append(r) } }
        f.listEntries.sort { ($0.enteredOn, $0.list) < ($1.enteredOn, $1.list) }
        f.penalties.sort { ($0.decidedOn, $0.documentNumber) < ($1.decidedOn, $1.documentNumber) }
        return f
    }

    private static func day(_ row: Row, _ col: String) -> Day? { (row[col] as String?).flatMap { try? Day($0) } }

    private static func relation(_ row: Row) -> RelationFact? {
        guard let role = RelationRole(rawValue: row["role"]), let from = Self.day(row, "valid_from") else { return nil }
        return RelationFact(role: role, from: row["from_code"], to: row["to_code"], validFrom: from,
                            validTo: Self.day(row, "valid_to"), recordID: row["record_id"] ?? 0)
    }

    /// A cursor with one row of look-ahead, consumed per subject code.
    private struct Peeking {
        var cursor: RowCursor
        var pending: Row?
        var started = false

        init(_ c: RowCursor) { cursor = c }

        /// Calls `body` for every row whose `subject_code` is `code`; skips rows of codes before it
        /// (facts of subjects that are not registered).
        mutating func rows(for code: String, _ body: (Row) throws -> Void) throws {
            if !started { pending = try cursor.next()?.copy(); started = true }
            while let row = pending {
                let c: String = row["subject_code"]
                if c < code { pending = try cursor.next()?.copy(); continue }
                if c > code { return }
                try body(row)
                pending = try cursor.next()?.copy()
            }
        }
    }
}
