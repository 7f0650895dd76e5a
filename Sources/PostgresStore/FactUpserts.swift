import PostgresNIO
import CreditRegistry

/// Upserts of one fact table that a feed writes (penalties, licences, tax grades), kept as rows
/// of a JSON array and sent as one `INSERT … SELECT … FROM jsonb_to_recordset($1) … ON CONFLICT`:
/// one statement parsed and planned for the whole batch. Two upserts of one key cannot go in one
/// statement (the second would see the first's row), so a key already kept is refused by
/// ``add(key:_:)`` and the caller sends what is kept first; rows of distinct keys do not affect
/// one another, so one statement gives what they would give one after the other.
struct FactUpserts {
    /// The statement, reading the rows from `$1`.
    let sql: String
    let what: String
    private var rows = ""
    private var keys = Set<String>()
    var count: Int { keys.count }

    init(sql: String, what: String) { self.sql = sql; self.what = what }

    /// Keeps a row; false (nothing kept) when a row of that key is kept already.
    mutating func add(key: String, _ row: JSONRow) -> Bool {
        guard keys.insert(key).inserted else { return false }
        if !rows.isEmpty { rows += "," }
        rows += row.text + "}"
        return true
    }

    /// Sends the rows kept, then forgets them.
    mutating func send(_ session: PostgresSession) throws {
        guard !keys.isEmpty else { return }
        let json = "[" + rows + "]"
        try session.query(PostgresQuery(unsafeSQL: sql, binds: {
            var b = PostgresBindings(); b.append(json); return b
        }()), what)
        rows = ""; keys = []
    }

    /// Penalties by record key, as ``PostgresDerivedFacts/putPenalty(_:subject:recordKey:)`` writes them one by one.
    static let penalties = FactUpserts(sql: """
        INSERT INTO penalty (record_key, subject_code, document_number, decided_on, types, fine_micro_wan, severity, authority,
            publicity_end, repaired_on, revoked_on, record_id)
        SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(record_key text, subject_code text, document_number text, decided_on text,
            types text, fine_micro_wan bigint, severity text, authority text, publicity_end text, repaired_on text, revoked_on text,
            record_id bigint)
        ON CONFLICT (record_key) DO UPDATE SET subject_code = excluded.subject_code, document_number = excluded.document_number,
            decided_on = excluded.decided_on, types = excluded.types, fine_micro_wan = excluded.fine_micro_wan,
            severity = excluded.severity, authority = excluded.authority, publicity_end = excluded.publicity_end,
            repaired_on = excluded.repaired_on, revoked_on = excluded.revoked_on, record_id = excluded.record_id
        """, what: "record penalties")

    /// Licences by record key.
    static let licences = FactUpserts(sql: """
        INSERT INTO licence (record_key, subject_code, number, type, granted_on, valid_until, revoked_on, record_id)
        SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(record_key text, subject_code text, number text, type text, granted_on text,
            valid_until text, revoked_on text, record_id bigint)
        ON CONFLICT (record_key) DO UPDATE SET subject_code = excluded.subject_code, number = excluded.number, type = excluded.type,
            granted_on = excluded.granted_on, valid_until = excluded.valid_until, revoked_on = excluded.revoked_on,
            record_id = excluded.record_id
        """, what: "record licences")

    /// Tax grades by subject and year.
    static let taxGrades = FactUpserts(sql: """
        INSERT INTO tax_grade (subject_code, year, grade, published_on, record_id)
        SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(subject_code text, year bigint, grade text, published_on text, record_id bigint)
        ON CONFLICT (subject_code, year) DO UPDATE SET grade = excluded.grade, published_on = excluded.published_on,
            record_id = excluded.record_id
        """, what: "record tax grades")
}

/// One JSON object of named text and number values, built field by field (nil: JSON null).
struct JSONRow {
    fileprivate(set) var text = "{"
    private var empty = true

    init() {}

    mutating func add(_ name: String, _ value: String?) {
        field(name)
        guard let value else { text += "null"; return }
        JSONText.appendString(value, to: &text)
    }

    mutating func add(_ name: String, _ value: Int64?) {
        field(name)
        text += value.map { String($0) } ?? "null"
    }

    private mutating func field(_ name: String) {
        if !empty { text += "," }
        empty = false
        text += "\"" + name + "\":"
    }
}
