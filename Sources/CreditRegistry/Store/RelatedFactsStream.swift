import GRDB

/// Streams, beside ``FactsStream`` and in the same code order, the facts of each subject's
/// related subjects: the organisations it serves (relations in which it is the person) and,
/// when asked, its key persons (relations in which it is the organisation).
///
/// Each fact table is read once, joined to `relation` and ordered by the subject the relation
/// leads from (a merge join over subjects), so a whole-registry evaluation whose rules read
/// related subjects costs no query per subject. The related subjects and their facts are those
/// ``Registry/facts(of:asOf:in:)`` gives for each code the relations name (the subject itself
/// excluded), read through the same ``FactQuery`` definitions.
///
/// ```swift
/// var own = try FactsStream(db: db, asOf: day)
/// var related = try RelatedFactsStream(db: db, asOf: day, keyPersons: true)
/// while let facts = try own.next() { let others = try related.related(of: facts.code) … }
/// ```
public struct RelatedFactsStream {
    private let asOf: Day?
    private var sides: [Side]

    /// Opens the cursors inside a read (or write) transaction; with `keyPersons` false only the
    /// organisations each subject serves are streamed. Only the subjects whose codes lie in
    /// `range` are asked for (their related subjects may lie anywhere).
    public init(db: Database, asOf: Day? = nil, keyPersons: Bool, range: CodeRange = .all) throws {
        self.asOf = asOf
        // From a person to the organisations it serves: the relation's `to_code` leads to its `from_code`.
        sides = [try Side(db: db, key: "to_code", other: "from_code", range: range)]
        if keyPersons { sides.append(try Side(db: db, key: "from_code", other: "to_code", range: range)) }
    }

    /// The facts of the subjects related to `code`, in code order; codes must be asked for in
    /// ascending order (those of ``FactsStream``).
    public mutating func related(of code: String) throws -> [SubjectFacts] {
        var found: [String: SubjectFacts] = [:]
        for i in sides.indices {
            for f in try sides[i].facts(of: code, asOf: asOf) where f.code != code && found[f.code] == nil {
                found[f.code] = f
            }
        }
        if found.isEmpty { return [] }
        return found.keys.sorted().compactMap { found[$0] }
    }

    /// One direction of the relations: rows keyed by the subject at `key`, about the subject at `other`.
    private struct Side {
        var subjects: KeyedRows<(kind: String, name: String, status: String, since: Day?)>
        var statuses: KeyedRows<StatusAsOf.Change>
        var lists: KeyedRows<ListEntryFact>
        var grades: KeyedRows<TaxGradeFact>
        var penalties: KeyedRows<PenaltyFact>
        var licences: KeyedRows<LicenceFact>
        var keyPersons: KeyedRows<RelationFact>
        var roles: KeyedRows<RelationFact>

        init(db: Database, key: String, other: String, range: CodeRange) throws {
            let c = range.condition("r.\(key)")
            subjects = try KeyedRows(db, sql: """
                SELECT s.code, s.kind, s.name, s.status, s.status_since, r.\(key), r.id
                FROM relation r JOIN subject s ON s.code = r.\(other) WHERE \(c.sql) ORDER BY r.\(key)
                """, arguments: c.arguments) { row, code in
                (row[1], row[2], row[3], try FactQuery<Void>.day(row, 4, "status_since", table: "subject", subject: code))
            }
            func rows<V>(_ q: FactQuery<V>) throws -> KeyedRows<V> {
                let columns = q.columns.split(separator: ",").map { "t." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", ")
                return try KeyedRows(db, sql: """
                    SELECT t.\(q.subjectColumn), \(columns), r.\(key), r.id
                    FROM relation r JOIN \(q.table) t ON t.\(q.subjectColumn) = r.\(other) WHERE \(c.sql) ORDER BY r.\(key)
                    """, arguments: c.arguments, decode: q.decode)
            }
            statuses = try rows(FactQueries.statuses)
            lists = try rows(FactQueries.listEntries)
            grades = try rows(FactQueries.taxGrades)
            penalties = try rows(FactQueries.penalties)
            licences = try rows(FactQueries.licences)
            keyPersons = try rows(FactQueries.keyPersons)
            roles = try rows(FactQueries.roles)
        }

        mutating func facts(of code: String, asOf: Day?) throws -> [SubjectFacts] {
            let heads = try subjects.firstValues(for: code)
            guard !heads.isEmpty else {
                // Keep the other cursors in step (they hold no rows for a key without subjects).
                try skip(to: code)
                return []
            }
            let history = try statuses.values(for: code)
            var out: [SubjectFacts] = []
            out.reserveCapacity(heads.count)
            for (related, h) in heads {
                guard let kind = SubjectKind(rawValue: h.kind) else {
                    throw StoredValueError(table: "subject", column: "kind", row: related, value: h.kind)
                }
                guard let current = SubjectStatus(rawValue: h.status) else {
                    throw StoredValueError(table: "subject", column: "status", row: related, value: h.status)
                }
                let (status, since) = StatusAsOf.resolve(current: current, since: h.since, history: history[related] ?? [], asOf: asOf)
                out.append(SubjectFacts(code: related, kind: kind, name: h.name, status: status, statusSince: since))
            }
            let l = try lists.values(for: code), g = try grades.values(for: code), p = try penalties.values(for: code)
            let c = try licences.values(for: code), k = try keyPersons.values(for: code), r = try roles.values(for: code)
            for i in out.indices {
                let related = out[i].code
                out[i].listEntries = l[related] ?? []
                out[i].taxGrades = g[related] ?? []
                out[i].penalties = p[related] ?? []
                out[i].licences = c[related] ?? []
                out[i].keyPersons = k[related] ?? []
                out[i].roles = r[related] ?? []
                out[i].sortCanonically()
            }
            return out
        }

        private mutating func skip(to code: String) throws {
            _ = try statuses.values(for: code); _ = try lists.values(for: code); _ = try grades.values(for: code)
            _ = try penalties.values(for: code); _ = try licences.values(for: code)
            _ = try keyPersons.values(for: code); _ = try roles.values(for: code)
        }
    }
}

/// Rows about a subject (column 0, then the decoded columns), each ending with the key it is
/// ordered by and the relation it was reached through (the last two columns): the merge-join
/// cursor of ``RelatedFactsStream``. A subject reached through several relations of the same
/// key (two roles in one organisation) is taken through the first of them only, so its rows
/// are not repeated.
struct KeyedRows<Value> {
    private let cursor: RowCursor
    private let decode: (Row, String) throws -> Value
    // The row ahead of the reader, kept in separate fields so that stepping over rows copies
    // no tuple of strings and values.
    private var pendingKey: String?
    private var pendingRelation: Int64 = 0
    private var pendingCode = ""
    private var pendingValue: Value?
    private var started = false

    /// `decode` gets each row (column 0 the subject, the key and relation after its own columns)
    /// and the subject's code.
    init(_ db: Database, sql: String, arguments: StatementArguments = [], decode: @escaping (Row, String) throws -> Value) throws {
        cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        self.decode = decode
    }

    private mutating func advance() throws {
        if let row = try cursor.next() {
            let code: String = row[0]
            let n = row.count
            pendingKey = row[n - 2]
            pendingRelation = row[n - 1]
            pendingCode = code
            pendingValue = try decode(row, code)
        } else {
            pendingKey = nil
            pendingValue = nil
        }
    }

    /// The values of the rows for `key`, by subject; keys must be asked for in ascending order.
    mutating func values(for key: String) throws -> KeyedValues<Value> {
        if !started { try advance(); started = true }
        var out = KeyedValues<Value>()
        while let k = pendingKey {
            if k != key {
                if k < key { try advance(); continue }
                break
            }
            out.add(pendingValue!, of: pendingCode, through: pendingRelation)
            try advance()
        }
        return out
    }
}

/// The values one key of ``KeyedRows`` holds, by subject: a few subjects, so a list scanned
/// by code rather than a map built for every key. A subject's values are those of the first
/// relation it was reached through.
struct KeyedValues<Value> {
    private(set) var entries: [(code: String, relation: Int64, values: [Value])] = []

    var isEmpty: Bool { entries.isEmpty }

    mutating func add(_ value: Value, of code: String, through relation: Int64) {
        for i in entries.indices where entries[i].code == code {
            if entries[i].relation == relation { entries[i].values.append(value) }
            return
        }
        entries.append((code, relation, [value]))
    }

    subscript(code: String) -> [Value]? {
        for e in entries where e.code == code { return e.values }
        return nil
    }
}

extension KeyedRows {
    /// The first value for `key` of each subject, in subject order (a cursor with one row per subject).
    mutating func firstValues(for key: String) throws -> [(String, Value)] {
        try values(for: key).entries.compactMap { e in e.values.first.map { (e.code, $0) } }.sorted { $0.0 < $1.0 }
    }
}
