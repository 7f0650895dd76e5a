import CreditQuery
import CreditRegistry
import GRDB
import PostgresNIO

/// ``PublicFactsReading`` on PostgreSQL: the public query's subject, or every public subject in
/// pages of ``batchSize`` read from one cursor, loaded with its status history, penalties, licences, list entries
/// and their source records into an in-memory SQLite registry (a slice, ``SliceRegistry``), where
/// the same ``PublicRecordReader`` and ``PublicInputsStream`` as on SQLite read them — so the
/// query and the publication judge the same inputs on both backends, and memory stays flat in
/// the registry's size. A publication reads every page in one `REPEATABLE READ` transaction, a
/// handful of statements a page (one a table, the page's codes joined as one array).
public struct PostgresPublicFacts: PublicFactsReading {
    public let pool: PostgresSessionPool
    /// Subjects per slice while publishing.
    public var batchSize = 10_000
    private let columns = LockedBox<[String: [(String, ColumnType)]]?>(nil)
    /// Slices kept for the public query (building one costs more than the query).
    private let spare = LockedBox<[SliceRegistry]>([])

    /// What a slice of public facts holds.
    static let tables = ["subject", "alias", "status_history", "penalty", "licence", "list_entry", "record"]

    public init(pool: PostgresSessionPool) { self.pool = pool }

    public func publicInputs(for identifier: String) throws -> PublicInputs? {
        let slice = try spare.withValue({ $0.popLast() }) ?? SliceRegistry(target: try targetColumns())
        defer { spare.withValue { if $0.count < 8 { $0.append(slice) } } }
        let value = IdentifierText.normalise(identifier)
        try pool.with { session in
            try session.transaction {
                try session.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", "start a read snapshot")
                try slice.registry.writer.writeWithoutTransaction { db in
                    try slice.clear(Self.tables, in: db)
                    guard let code = try session.query("""
                        SELECT code FROM subject WHERE code = \(value)
                        UNION ALL SELECT a.subject_code FROM alias a JOIN subject s ON s.code = a.subject_code WHERE a.value = \(value) LIMIT 1
                        """, "look up \(IdentityMask.forDisplay(identifier))").first?.decode(String.self) else { return }
                    try slice.load("alias", where: "value = \(value) AND subject_code = \(code)", from: session, into: db)
                    try Self.load([code], into: slice, from: session, db: db)
                }
            }
        }
        let reader = PublicRecordReader(registry: slice.registry)
        return try slice.registry.read { db in try reader.inputs(for: identifier, in: db) }
    }

    public func forEachPublicSubject(_ body: @Sendable (PublicInputs) throws -> Void) throws {
        let slice = try SliceRegistry(target: try targetColumns())
        let batchSize = self.batchSize
        try pool.with { session in
            try session.transaction {
                try session.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", "start a read snapshot")
                // One cursor over the public subjects in the order SQLite publishes them (its byte
                // order): the server sorts once, and each page is one round trip.
                try session.execute("""
                    DECLARE public_subjects NO SCROLL CURSOR FOR
                    SELECT \(slice.selectList("subject")) FROM subject WHERE kind <> 'natural_person' ORDER BY code COLLATE "C"
                    """, "open the public subjects")
                while true {
                    let page = try session.query(PostgresQuery(unsafeSQL: "FETCH \(batchSize) FROM public_subjects"),
                                                 "read the next public subjects")
                    guard !page.isEmpty else { break }
                    try slice.registry.writer.writeWithoutTransaction { db in
                        try slice.clear(Self.tables, in: db)
                        try slice.insert(page, into: "subject", in: db)
                        try Self.loadFacts(of: try String.fetchAll(db, sql: "SELECT code FROM subject"), into: slice, from: session, db: db)
                    }
                    try slice.registry.read { db in
                        var stream = try PublicInputsStream(db: db)
                        while let inputs = try stream.next() { try body(inputs) }
                    }
                }
                try session.execute("CLOSE public_subjects", "close the public subjects")
            }
        }
    }

    /// Loads the subjects `codes` and the facts the public definition reads about them.
    private static func load(_ codes: [String], into slice: SliceRegistry, from session: PostgresSession, db: Database) throws {
        try slice.load("subject", whose: "code", isIn: codes, from: session, into: db)
        try loadFacts(of: codes, into: slice, from: session, db: db)
    }

    /// Loads the facts the public definition reads about the subjects `codes`: one statement a table.
    private static func loadFacts(of codes: [String], into slice: SliceRegistry, from session: PostgresSession, db: Database) throws {
        for table in ["status_history", "penalty", "licence", "list_entry"] {
            try slice.load(table, whose: "subject_code", isIn: codes, from: session, into: db)
        }
        let records = try Int64.fetchAll(db, sql: """
            SELECT record_id FROM penalty WHERE record_id IS NOT NULL
            UNION SELECT record_id FROM licence WHERE record_id IS NOT NULL
            UNION SELECT entry_record FROM list_entry WHERE entry_record IS NOT NULL
            """)
        try slice.load("record", whose: "id", isIn: records, from: session, into: db)
    }

    private func targetColumns() throws -> [String: [(String, ColumnType)]] {
        if let c = columns.value { return c }
        let c = try pool.with { session in try RegistryCopy.targetColumns(RegistryCopy.registryTables, in: session) }
        columns.value = c
        return c
    }
}
