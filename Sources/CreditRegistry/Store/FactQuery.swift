import GRDB

/// How one kind of fact is read from its table: the columns, and how a row becomes a fact.
///
/// Every loader of facts — one subject as of a day (``Registry/facts(of:asOf:in:)``, which
/// incremental re-evaluation, as-of reports and explanations read) and the whole registry in
/// code order (``FactsStream``, which activation, refresh and impact diffs read) — reads through
/// these definitions, so they cannot disagree on what a subject's facts are. Facts carry their
/// whole valid time (published ends included); evaluation as of a day interprets them.
///
/// Adding a fact kind is one more `FactQuery` here, one field in ``SubjectFacts`` and one line
/// in each loader's `assign`.
struct FactQuery<Value>: Sendable {
    /// The table and the column naming the subject the row belongs to.
    let table: String
    let subjectColumn: String
    /// The columns the decoder reads, from position 1 (position 0 is the subject column).
    let columns: String
    let decode: @Sendable (FactRow, String) throws -> Value
    /// The rows of one subject.
    let subjectSQL: String

    init(table: String, subjectColumn: String, columns: String, decode: @escaping @Sendable (FactRow, String) throws -> Value) {
        self.table = table
        self.subjectColumn = subjectColumn
        self.columns = columns
        self.decode = decode
        subjectSQL = "SELECT \(subjectColumn), \(columns) FROM \(table) WHERE \(subjectColumn) = ?"
    }

    /// All rows of the table in subject order (for a merge join over subjects).
    var streamSQL: String { streamSQL(where: "TRUE") }
    /// The rows meeting `condition` in subject order.
    func streamSQL(where condition: String) -> String {
        "SELECT \(subjectColumn), \(columns) FROM \(table) WHERE \(condition) ORDER BY \(subjectColumn)"
    }
    /// The rows of the subjects in `range`, in subject order.
    func stream(_ db: Database, _ range: CodeRange) throws -> FactRows<Value> {
        let c = range.condition(subjectColumn)
        return try FactRows(db, sql: streamSQL(where: c.sql), arguments: c.arguments, decode: decode)
    }
    /// The rows of `code` through the connection's cached statement for ``subjectSQL``.
    func load(_ code: String, in db: Database) throws -> [Value] {
        try load(code, with: db.cachedStatement(sql: subjectSQL), in: db)
    }

    /// The rows of `code` through `s`, a statement prepared from ``subjectSQL``.
    func load(_ code: String, with s: Statement, in db: Database) throws -> [Value] {
        s.bind(1, code)
        let row = FactRow(statement: s.sqliteStatement)
        var out: [Value] = []
        do {
            while try s.step(db) { out.append(try decode(row, code)) }
        } catch {
            s.finish()
            throw error
        }
        return out
    }
}

/// The fact kinds of ``SubjectFacts``, one definition each.
enum FactQueries {
    static let listEntries = FactQuery<ListEntryFact>(
        table: "list_entry", subjectColumn: "subject_code",
        columns: "list, entered_on, exited_on, ground, entry_record, exit_record") { r, code in
        var ids: [Int64] = [r.int64(5)]
        if let x = r.optionalInt64(6) { ids.append(x) }
        return ListEntryFact(list: r.text(1), enteredOn: try r.requiredDay(2, "entered_on", table: "list_entry", subject: code),
                             exitedOn: try r.day(3, "exited_on", table: "list_entry", subject: code),
                             ground: r.optionalText(4), recordIDs: ids)
    }

    static let taxGrades = FactQuery<TaxGradeFact>(
        table: "tax_grade", subjectColumn: "subject_code", columns: "year, grade, published_on, record_id") { r, code in
        let text = r.text(2)
        guard let g = TaxGrade(rawValue: text) else {
            throw StoredValueError(table: "tax_grade", column: "grade", row: code, value: text)
        }
        return TaxGradeFact(year: Int(r.int64(1)), grade: g,
                            publishedOn: try r.requiredDay(3, "published_on", table: "tax_grade", subject: code),
                            recordID: r.int64(4))
    }

    static let penalties = FactQuery<PenaltyFact>(
        table: "penalty", subjectColumn: "subject_code",
        columns: "document_number, decided_on, types, fine_micro_wan, severity, authority, publicity_end, repaired_on, revoked_on, record_id") { r, code in
        let types = r.text(3)
        let severityText = r.text(5)
        guard let severity = PenaltySeverity(rawValue: severityText) else {
            throw StoredValueError(table: "penalty", column: "severity", row: code, value: severityText)
        }
        return PenaltyFact(documentNumber: r.text(1), decidedOn: try r.requiredDay(2, "decided_on", table: "penalty", subject: code),
                           types: types.split(separator: ";").map(String.init), fineMicroWan: r.int64(4), severity: severity,
                           authority: r.optionalText(6) ?? "", publicityEnd: try r.day(7, "publicity_end", table: "penalty", subject: code),
                           repairedOn: try r.day(8, "repaired_on", table: "penalty", subject: code),
                           revokedOn: try r.day(9, "revoked_on", table: "penalty", subject: code), recordID: r.int64(10))
    }

    static let licences = FactQuery<LicenceFact>(
        table: "licence", subjectColumn: "subject_code", columns: "number, type, granted_on, valid_until, revoked_on, record_id") { r, code in
        LicenceFact(number: r.text(1), type: r.text(2), grantedOn: try r.requiredDay(3, "granted_on", table: "licence", subject: code),
                    validUntil: try r.day(4, "valid_until", table: "licence", subject: code),
                    revokedOn: try r.day(5, "revoked_on", table: "licence", subject: code), recordID: r.int64(6))
    }

    private static let relationColumns = "role, from_code, to_code, valid_from, valid_to, record_id"

    @Sendable private static func relation(_ r: FactRow, _ code: String) throws -> RelationFact {
        let roleText = r.text(1)
        guard let role = RelationRole(rawValue: roleText) else {
            throw StoredValueError(table: "relation", column: "role", row: code, value: roleText)
        }
        return RelationFact(role: role, from: r.text(2), to: r.text(3), validFrom: try r.requiredDay(4, "valid_from", table: "relation", subject: code),
                            validTo: try r.day(5, "valid_to", table: "relation", subject: code), recordID: r.optionalInt64(6) ?? 0)
    }

    /// Relations in which the subject is the organisation.
    static let keyPersons = FactQuery<RelationFact>(table: "relation", subjectColumn: "from_code", columns: relationColumns, decode: relation)
    /// Relations in which the subject is the person.
    static let roles = FactQuery<RelationFact>(table: "relation", subjectColumn: "to_code", columns: relationColumns, decode: relation)

    /// The status history (the status as of a day is chosen by ``StatusAsOf``).
    static let statuses = FactQuery<StatusAsOf.Change>(
        table: "status_history", subjectColumn: "subject_code", columns: "since, status") { r, code in
        let text = r.text(2)
        guard let status = SubjectStatus(rawValue: text) else {
            throw StoredValueError(table: "status_history", column: "status", row: code, value: text)
        }
        return StatusAsOf.Change(since: try r.requiredDay(1, "since", table: "status_history", subject: code), status: status)
    }
}

/// The status of a subject as of a day, from its status history: the latest change on or
/// before the day; without one, the subject row's status when it took effect by then, else
/// active (a subject whose only known status change lies after the day was active before it).
enum StatusAsOf {
    struct Change: Hashable, Sendable {
        var since: Day
        var status: SubjectStatus
    }

    static func resolve(current: SubjectStatus, since: Day?, history: [Change], asOf: Day?) -> (SubjectStatus, Day?) {
        let cut = asOf ?? Day(ordinal: Int.max / 4)
        let known = history.filter { $0.since <= cut }
        if let last = known.max(by: { ($0.since, $0.status.rawValue) < ($1.since, $1.status.rawValue) }) {
            return (last.status, last.since)
        }
        if let since, since > cut { return (.active, nil) }
        return (current, since)
    }
}

extension SubjectFacts {
    /// Puts every fact list in one canonical order, whatever order the loader read rows in.
    mutating func sortCanonically() {
        if listEntries.count > 1 {
            listEntries.sort { ($0.enteredOn, $0.list, $0.recordIDs.first ?? 0) < ($1.enteredOn, $1.list, $1.recordIDs.first ?? 0) }
        }
        if taxGrades.count > 1 { taxGrades.sort { ($0.year, $0.recordID) < ($1.year, $1.recordID) } }
        if penalties.count > 1 {
            penalties.sort { ($0.decidedOn, $0.documentNumber, $0.recordID) < ($1.decidedOn, $1.documentNumber, $1.recordID) }
        }
        if licences.count > 1 { licences.sort { ($0.grantedOn, $0.number, $0.recordID) < ($1.grantedOn, $1.number, $1.recordID) } }
        if keyPersons.count > 1 {
            keyPersons.sort { ($0.role.rawValue, $0.validFrom, $0.to) < ($1.role.rawValue, $1.validFrom, $1.to) }
        }
        if roles.count > 1 { roles.sort(by: RelationFact.roleOrder) }
    }
}
