import GRDB

/// Streams, beside ``FactsStream`` and in the same code order, the facts of each subject's
/// related subjects: the organisations it serves (relations in which it is the person) and,
/// when asked, its key persons (relations in which it is the organisation).
///
/// The relations are read once in the order of the subject they lead from (an index scan, a
/// merge join with ``FactsStream``'s subjects); each related subject's facts are then read by
/// code through the same ``FactQuery`` definitions as ``Registry/facts(of:asOf:in:)`` — one
/// indexed probe a fact table, none for a table the subject has no rows in when a
/// ``FactPresence`` is given — so a whole-registry evaluation whose rules read related
/// subjects costs no join of every fact table to `relation`.
///
/// ```swift
/// var own = try FactsStream(db: db, asOf: day)
/// var related = try RelatedFactsStream(db: db, asOf: day, keyPersons: true)
/// while let facts = try own.next() { let others = try related.related(of: facts.code) … }
/// ```
public struct RelatedFactsStream {
    private let asOf: Day?
    private let db: Database
    private let presence: FactPresence?
    private let probes: SubjectProbes
    /// One cursor a direction of the relations: the related subject's code, keyed by the subject it leads from.
    private var sides: [FactRows<String>]

    /// Opens the cursors inside a read (or write) transaction; with `keyPersons` false only the
    /// organisations each subject serves are streamed. Only the subjects whose codes lie in
    /// `range` are asked for (their related subjects may lie anywhere). `presence`, read from
    /// the same snapshot, spares the probes that would find no rows.
    public init(db: Database, asOf: Day? = nil, keyPersons: Bool, range: CodeRange = .all, presence: FactPresence? = nil) throws {
        self.asOf = asOf
        self.db = db
        self.presence = presence
        probes = try SubjectProbes(db)
        func side(key: String, other: String) throws -> FactRows<String> {
            let c = range.condition(key)
            return try FactRows(db, sql: "SELECT \(key), \(other) FROM relation WHERE \(c.sql) ORDER BY \(key)",
                                arguments: c.arguments) { row, _ in row.text(1) }
        }
        // From a person to the organisations it serves: the relation's `to_code` leads to its `from_code`.
        sides = [try side(key: "to_code", other: "from_code")]
        if keyPersons { sides.append(try side(key: "from_code", other: "to_code")) }
    }

    /// The facts of the subjects related to `code`, in code order; codes must be asked for in
    /// ascending order (those of ``FactsStream``).
    public mutating func related(of code: String) throws -> [SubjectFacts] {
        var codes: [String] = []
        for i in sides.indices {
            for other in try sides[i].values(for: code) where other != code && !codes.contains(other) {
                codes.append(other)
            }
        }
        if codes.isEmpty { return [] }
        codes.sort()
        var out: [SubjectFacts] = []
        out.reserveCapacity(codes.count)
        for c in codes {
            if let f = try probes.facts(of: c, asOf: asOf, in: db, presence: presence) { out.append(f) }
        }
        return out
    }
}

/// The statements that read one subject's facts by code, prepared once for a stream.
struct SubjectProbes {
    private let subject, statuses, lists, grades, penalties, licences, keyPersons, roles: Statement

    init(_ db: Database) throws {
        subject = try db.makeStatement(sql: "SELECT kind, name, status, status_since FROM subject WHERE code = ?")
        statuses = try db.makeStatement(sql: FactQueries.statuses.subjectSQL)
        lists = try db.makeStatement(sql: FactQueries.listEntries.subjectSQL)
        grades = try db.makeStatement(sql: FactQueries.taxGrades.subjectSQL)
        penalties = try db.makeStatement(sql: FactQueries.penalties.subjectSQL)
        licences = try db.makeStatement(sql: FactQueries.licences.subjectSQL)
        keyPersons = try db.makeStatement(sql: FactQueries.keyPersons.subjectSQL)
        roles = try db.makeStatement(sql: FactQueries.roles.subjectSQL)
    }

    /// One subject's facts read by code (nil when no subject has it), as the streams decode them;
    /// only the kinds in `kinds` are read (as ``FactsStream`` leaves the others out).
    func facts(of code: String, asOf: Day?, in db: Database, presence: FactPresence?,
               kinds: Set<FactPresence.Kind> = Set(FactPresence.Kind.allCases)) throws -> SubjectFacts? {
        let s = subject
        s.bind(1, code)
        guard try s.step(db) else { return nil }
        let r = FactRow(statement: s.sqliteStatement)
        let kindText = r.text(0), name = r.text(1), statusText = r.text(2)
        let since: Day?
        do { since = try r.day(3, "status_since", table: "subject", subject: code) } catch { s.finish(); throw error }
        s.finish()
        guard let kind = SubjectKind(rawValue: kindText) else {
            throw StoredValueError(table: "subject", column: "kind", row: code, value: kindText)
        }
        guard let current = SubjectStatus(rawValue: statusText) else {
            throw StoredValueError(table: "subject", column: "status", row: code, value: statusText)
        }
        func load<V>(_ q: FactQuery<V>, _ kind: FactPresence.Kind, _ statement: Statement) throws -> [V] {
            if !kinds.contains(kind) { return [] }
            if let presence, !presence.mayHave(kind, code) { return [] }
            return try q.load(code, with: statement, in: db)
        }
        let (status, statusSince) = StatusAsOf.resolve(current: current, since: since,
                                                       history: try load(FactQueries.statuses, .statuses, statuses), asOf: asOf)
        var f = SubjectFacts(code: code, kind: kind, name: name, status: status, statusSince: statusSince)
        f.listEntries = try load(FactQueries.listEntries, .listEntries, lists)
        f.taxGrades = try load(FactQueries.taxGrades, .taxGrades, grades)
        f.penalties = try load(FactQueries.penalties, .penalties, penalties)
        f.licences = try load(FactQueries.licences, .licences, licences)
        f.keyPersons = try load(FactQueries.keyPersons, .keyPersons, keyPersons)
        f.roles = try load(FactQueries.roles, .roles, roles)
        f.sortCanonically()
        return f
    }
}
