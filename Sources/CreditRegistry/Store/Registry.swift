import Foundation
import GRDB

/// The registry: one SQLite database (WAL) of subjects, aliases, relations, records with
/// provenance, list entries, feeds and rejects.
///
/// Writes come in two forms: methods taking a `Database` (to batch many writes in one
/// transaction, as ingest does) and convenience methods that open their own transaction.
///
/// ```swift
/// let registry = try Registry(path: "credit.db")
/// try registry.write { db in
///     try registry.upsert(Subject(code: "91350100M000100Y43", kind: .enterprise, name: "某某有限公司"), in: db)
/// }
/// let s = try registry.lookup("M000100Y-4")   // by organisation code
/// ```
public struct Registry: Sendable {
    /// The underlying GRDB writer: a pool on files, a queue in memory.
    public let writer: any DatabaseWriter

    /// How long a writer waits for another process's write transaction to end before it gives
    /// up with "database is locked": long enough for a whole feed of another bureau.
    public static let writerWait: TimeInterval = 600

    /// Opens (creating and migrating if needed) the registry at `path`.
    ///
    /// Writers queue: in one process the pool's single writer connection runs write
    /// transactions one after the other; across processes every write transaction begins
    /// `IMMEDIATE` (GRDB's default for writes), so the busy handler — which SQLite does not call
    /// for a deferred transaction that later needs to write — waits up to ``writerWait`` for
    /// the other writer. Readers (WAL snapshots) never wait for writers and keep a short timeout.
    public init(path: String) throws {
        SQLiteProcess.configure()
        var config = Configuration()
        config.prepareDatabase { db in
            try db.execute(sql: """
                PRAGMA synchronous = NORMAL;
                PRAGMA cache_size = -262144;
                PRAGMA mmap_size = 1073741824;
                """)
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA busy_timeout = \(Int(Registry.writerWait * 1000))")
            }
        }
        config.busyMode = .timeout(10)
        let pool = try DatabasePool(path: path, configuration: config)
        try self.init(writer: pool)
    }

    /// Uses an existing writer (e.g. an in-memory `DatabaseQueue` in tests) and migrates it.
    public init(writer: any DatabaseWriter) throws {
        self.writer = writer
        try RegistryMigrations.migrator.migrate(writer)
    }

    /// Runs `body` in one write transaction.
    public func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        try writer.write(body)
    }

    /// Runs `body` with a read-only connection.
    public func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        try writer.read(body)
    }

    /// Runs `body` in one read transaction (one snapshot) begun and committed by statements the
    /// connection keeps prepared (``Database/inPreparedTransaction(_:_:)``): for the short reads
    /// of the look-up path, where GRDB's `read` would compile `BEGIN` and `COMMIT` every time.
    public func readSnapshot<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        try writer.unsafeRead { db in try db.inPreparedTransaction(.deferred) { try body(db) } }
    }

    // MARK: - Writing

    /// Inserts a subject or updates its identity from its registration (the authoritative
    /// source of names, kinds and status). Its own code is an alias without a row of its own
    /// (``OwnCodeAlias``).
    public func upsert(_ s: Subject, recordID: Int64? = nil, in db: Database, statements: RegistryStatements? = nil) throws {
        let stmt = try statement(.upsertSubject, statements, db)
        stmt.bind(1, s.code); stmt.bind(2, s.kind.rawValue); stmt.bind(3, s.name); stmt.bind(4, s.status.rawValue)
        stmt.bind(5, s.statusSince); stmt.bind(6, s.establishedOn); stmt.bind(7, s.region); stmt.bind(8, s.authority)
        stmt.bind(9, recordID)
        try stmt.run(db)
        // The statement sets the identity columns to these values whether it inserted or updated.
        statements?.identities.remember(s.code, .init(source: .registration, name: s.name, kind: s.kind.rawValue, storedAsNamed: false))
        if s.kind != .naturalPerson { try addName(s.name, of: s.code, from: s.establishedOn, in: db, statements: statements) }
    }

    /// Inserts a subject only when its code is not yet registered (e.g. a person first seen
    /// as a legal representative). Returns true when it was inserted.
    @discardableResult
    public func insertIfAbsent(_ s: Subject, in db: Database) throws -> Bool {
        let stmt = try db.cachedStatement(sql: """
            INSERT INTO subject (code, kind, name, status, region) VALUES (?, ?, ?, ?, ?) ON CONFLICT(code) DO NOTHING
            """)
        try stmt.execute(arguments: [s.code, s.kind.rawValue, s.name, s.status.rawValue, s.region])
        guard db.changesCount > 0 else { return false }
        if s.kind != .naturalPerson { try addName(s.name, of: s.code, from: nil, in: db) }
        return true
    }

    /// Records a name the subject bears or bore; former names stay searchable. Only
    /// organisations' names are searchable: natural persons are found by their ID number, so
    /// that no one can list citizens by a fragment of a name.
    public func addName(_ name: String, of code: String, from: Day?, to: Day? = nil, in db: Database,
                        statements: RegistryStatements? = nil) throws {
        let stmt = try statement(.addName, statements, db)
        stmt.bind(1, code); stmt.bind(2, name); stmt.bind(3, from); stmt.bind(4, to)
        try stmt.run(db)
    }

    /// Maps an identifier to a subject. Values are stored normalised (upper case, no hyphens).
    public func addAlias(scheme: AliasScheme, value: String, subject: String, in db: Database, statements: RegistryStatements? = nil) throws {
        let stmt = try statement(.addAlias, statements, db)
        stmt.bind(1, IdentifierText.normalise(value)); stmt.bind(2, scheme.rawValue); stmt.bind(3, subject)
        try stmt.run(db)
    }

    /// Records a role; the same (from, role, to, validFrom) updates its end and share.
    ///
    /// The organisation's registration is authoritative for its roles: a role another record
    /// states (a tax case naming the finance chief) is taken when no registration stated it, and
    /// never replaces what a registration stated, so the outcome does not depend on which
    /// arrived first.
    public func add(_ r: Relation, fromRegistration: Bool = true, in db: Database, statements: RegistryStatements? = nil) throws {
        let stmt = try statement(fromRegistration ? .addRelation : .addRelationNotFromRegistration, statements, db)
        stmt.bind(1, r.from); stmt.bind(2, r.role.rawValue); stmt.bind(3, r.to); stmt.bind(4, r.share)
        stmt.bind(5, r.validFrom); stmt.bind(6, r.validTo); stmt.bind(7, r.recordID)
        try stmt.run(db)
    }

    /// Ends, on `day`, every role of `role` held in organisation `from` by someone other than `keep`.
    public func endRoles(of from: String, role: RelationRole, except keep: String?, on day: Day, in db: Database,
                         statements: RegistryStatements? = nil) throws {
        let stmt = try statement(.endRoles, statements, db)
        stmt.bind(1, day); stmt.bind(2, from); stmt.bind(3, role.rawValue); stmt.bind(4, keep); stmt.bind(5, day)
        try stmt.run(db)
    }

    /// Appends a record to the history and returns its id. Records are never updated.
    @discardableResult
    public func append(_ r: NewRecord, recordedAt: String, in db: Database, statements: RegistryStatements? = nil) throws -> Int64 {
        let stmt = try statement(.appendRecord, statements, db)
        let p = r.provenance
        stmt.bind(1, r.subjectCode); stmt.bind(2, r.kind); stmt.bind(3, p.bureau); stmt.bind(4, p.bureauKey)
        stmt.bind(5, r.operation); stmt.bind(6, p.feed); stmt.bind(7, p.line); stmt.bind(8, p.documentNumber)
        stmt.bind(9, r.effectiveFrom); stmt.bind(10, r.effectiveTo); stmt.bind(11, recordedAt); stmt.bind(12, r.contentHash)
        stmt.bind(13, r.payload)
        try stmt.run(db)
        return db.lastInsertedRowID
    }

    /// Records a status change (the subject row keeps the latest).
    public func addStatus(_ status: SubjectStatus, of code: String, since: Day, recordID: Int64?, in db: Database,
                          statements: RegistryStatements? = nil) throws {
        let stmt = try statement(.addStatus, statements, db)
        stmt.bind(1, code); stmt.bind(2, since); stmt.bind(3, status.rawValue); stmt.bind(4, recordID)
        try stmt.run(db)
    }

    // MARK: - Reading

    /// Finds the subject that any identifier names: USCC, resident ID (18 or 15 digits),
    /// registration number, organisation code or tax number; full-width, spaced, hyphenated or
    /// lower-case input is normalised first. A subject's own code is found by one probe on
    /// `subject`; any other identifier by a probe on `alias` after that one misses.
    public func lookup(_ identifier: String) throws -> Subject? {
        try writer.read { db in try lookup(identifier, in: db) }
    }

    /// ``lookup(_:)`` inside an existing transaction.
    public func lookup(_ identifier: String, in db: Database) throws -> Subject? {
        let value = IdentifierText.normalise(identifier)
        // Bound and read through SQLite's C interface: a GRDB cursor builds its arguments and a
        // map of the column names per call, which cost as much as the probe itself.
        let statement = try db.cachedStatement(sql: """
            SELECT \(Subject.columns) FROM subject s WHERE s.code = ?1
            UNION ALL SELECT \(Subject.columns) FROM alias a JOIN subject s ON s.code = a.subject_code WHERE a.value = ?1
            LIMIT 1
            """)
        statement.bind(1, value)
        guard try statement.step(db) else { return nil }
        defer { statement.finish() }
        return try Subject(columnsOf: statement)
    }

    /// The subject with exactly this registry code.
    public func subject(code: String, in db: Database) throws -> Subject? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM subject WHERE code = ?"), arguments: [code]).map { try Subject(row: $0) }
    }

    /// Every alias of a subject, its own code (derived from the subject row) included.
    public func aliases(of code: String, in db: Database) throws -> [(scheme: AliasScheme, value: String)] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT scheme, value FROM alias WHERE subject_code = ?1
            UNION SELECT \(OwnCodeAlias.schemeSQL(kind: "kind")), code FROM subject WHERE code = ?1
            ORDER BY scheme, value
            """),
                         arguments: [code]).compactMap { row in
            AliasScheme(rawValue: row["scheme"]).map { ($0, row["value"] as String) }
        }
    }

    /// Names the subject bears or bore, oldest first.
    public func names(of code: String, in db: Database) throws -> [(name: String, from: Day?, to: Day?)] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT name, valid_from, valid_to FROM subject_name WHERE subject_code = ? ORDER BY valid_from, name"),
                         arguments: [code]).map { row in
            (row["name"], try Day.stored(row["valid_from"], table: "subject_name", column: "valid_from", row: code),
             try Day.stored(row["valid_to"], table: "subject_name", column: "valid_to", row: code))
        }
    }

    /// The record history of a subject, oldest first.
    public func records(of code: String, in db: Database) throws -> [StoredRecord] {
        try StoredRecord.fetchAll(db.cachedStatement(sql: "SELECT \(StoredRecord.selection) FROM record WHERE subject_code = ? ORDER BY id"), arguments: [code])
    }

    /// The records with these ids.
    public func records(ids: [Int64], in db: Database) throws -> [StoredRecord] {
        guard !ids.isEmpty else { return [] }
        return try StoredRecord.fetchAll(db, sql: "SELECT \(StoredRecord.selection) FROM record WHERE id IN (\(databaseQuestionMarks(count: ids.count))) ORDER BY id",
                                         arguments: StatementArguments(ids))
    }
}

extension Registry {
    /// How many subjects the registry holds (progress totals).
    public func subjectCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM subject") ?? 0 }
    }
}

extension Registry {
    /// ``records(ids:in:)`` in its own read transaction.
    public func records(ids: [Int64]) throws -> [StoredRecord] {
        try read { db in try records(ids: ids, in: db) }
    }
}
