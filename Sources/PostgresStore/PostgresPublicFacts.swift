import CreditQuery
import CreditRegistry
import GRDB
import PostgresNIO

/// ``PublicFactsReading`` on PostgreSQL: the public query's subject, or every public subject in
/// batches of ``batchSize``, loaded with its status history, penalties, licences, list entries
/// and their source records into an in-memory SQLite registry (a slice, ``SliceRegistry``), where
/// the same ``PublicRecordReader`` and ``PublicInputsStream`` as on SQLite read them — so the
/// query and the publication judge the same inputs on both backends, and memory stays flat in
/// the registry's size. A publication reads every batch in one `REPEATABLE READ` transaction.
public struct PostgresPublicFacts: PublicFactsReading {
    public let pool: PostgresSessionPool
    /// Subjects per slice while publishing.
    public var batchSize = 2_000
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
                var after = ""
                while true {
                    let codes = try session.query("""
                        SELECT code FROM subject WHERE kind <> 'natural_person' AND code COLLATE "C" > \(after)
                        ORDER BY code COLLATE "C" LIMIT \(batchSize)
                        """, "read the next public subjects").map { try $0.decode(String.self) }
                    guard let last = codes.last else { break }
                    try slice.registry.writer.writeWithoutTransaction { db in
                        try slice.clear(Self.tables, in: db)
                        try Self.load(codes, into: slice, from: session, db: db)
                    }
                    try slice.registry.read { db in
                        var stream = try PublicInputsStream(db: db)
                        while let inputs = try stream.next() { try body(inputs) }
                    }
                    after = last
                }
            }
        }
    }

    /// Loads the subjects `codes` and the facts the public definition reads about them.
    private static func load(_ codes: [String], into slice: SliceRegistry, from session: PostgresSession, db: Database) throws {
        try slice.load("subject", where: "code = ANY(\(codes))", from: session, into: db)
        for table in ["status_history", "penalty", "licence", "list_entry"] {
            try slice.load(table, where: "subject_code = ANY(\(codes))", from: session, into: db)
        }
        let records = try Int64.fetchAll(db, sql: """
            SELECT record_id FROM penalty WHERE record_id IS NOT NULL
            UNION SELECT record_id FROM licence WHERE record_id IS NOT NULL
            UNION SELECT entry_record FROM list_entry WHERE entry_record IS NOT NULL
            """)
        if !records.isEmpty { try slice.load("record", where: "id = ANY(\(records))", from: session, into: db) }
    }

    private func targetColumns() throws -> [String: [(String, ColumnType)]] {
        if let c = columns.value { return c }
        let c = try pool.with { session in try RegistryCopy.targetColumns(RegistryCopy.registryTables, in: session) }
        columns.value = c
        return c
    }
}
