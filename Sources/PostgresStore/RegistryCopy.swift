import CreditRegistry
import Foundation
import GRDB
import Logging
import NIOCore
import PostgresNIO

/// Moves a SQLite registry (its database, its audit log's database and the log's signed
/// checkpoints) into a PostgreSQL one:
/// every table streamed with `COPY … FROM STDIN`, in one PostgreSQL transaction, then each
/// table's row count and ordered digest (``TableDigest``) computed again from what PostgreSQL
/// holds and compared with the source's before anything is committed.
///
/// The source is read from one snapshot. A target that already holds rows is refused unless
/// `replace` is set (then its tables are emptied in the same transaction). A table of the
/// source that has no counterpart is refused too, so that nothing is silently left behind;
/// structures SQLite derives (the FTS5 name index, the short-query gram index and their statistics, migration bookkeeping)
/// are not copied — PostgreSQL keeps its own (``PostgresMigrations``).
///
/// ```swift
/// let copy = RegistryCopy(source: "credit.db", audit: "credit.audit.db", checkpoints: "credit.audit.checkpoints")
/// let outcome = try copy.run(into: session, replace: false)
/// for t in outcome.tables { print(t.table, t.rows, t.digest) }
/// ```
public struct RegistryCopy: Sendable {
    /// The registry's tables, parents before children.
    public static let registryTables = [
        "subject", "alias", "subject_name", "status_history", "relation", "record", "record_head", "list_entry",
        "penalty", "licence", "tax_grade", "feed", "reject", "name_variant", "parked",
        "ruleset", "decision", "verification_fact", "account", "feedback", "outbox", "outbox_peer", "exchange_cursor",
    ]
    /// The audit log's tables (its own SQLite file; the same database on PostgreSQL).
    public static let auditTables = ["audit", "audit_meta"]
    /// What SQLite derives or keeps for itself, which PostgreSQL keeps its own way.
    static let derivedTables: Set<String> = [
        "name_index", "name_fts", "name_fts_data", "name_fts_idx", "name_fts_content", "name_fts_docsize", "name_fts_config",
        "name_trigram_common", "name_gram", "name_gram_cut", "name_gram_offset",
        "grdb_migrations", "sqlite_sequence", "sqlite_stat1", "sqlite_stat4",
        "audit_subject_run", "audit_subject_indexed",
    ]

    /// One table as copied and verified.
    public struct TableResult: Sendable, Hashable, Codable {
        public var table: String
        public var rows: Int
        /// Hex SHA-256 of the ordered canonical rows (the same on both sides).
        public var digest: String
    }

    public struct Outcome: Sendable, Hashable, Codable {
        public var tables: [TableResult]
        public var seconds: Double
        public var rows: Int { tables.reduce(0) { $0 + $1.rows } }
    }

    public let source: String
    public let audit: String?
    /// The audit log's checkpoint file (nil, or no such file: no checkpoints to move).
    public let checkpoints: String?
    /// Rows per COPY chunk handed to the server.
    public var chunkBytes = 1 << 20

    /// `source`: the registry's SQLite file; `audit`: its audit log's file (nil: no audit log to
    /// move); `checkpoints`: the log's checkpoint file, copied into `audit_checkpoint`.
    public init(source: String, audit: String?, checkpoints: String? = nil) {
        self.source = source; self.audit = audit; self.checkpoints = checkpoints
    }

    /// Copies and verifies; commits only when every table matches. `progress` is told each table as it is done.
    public func run(into session: PostgresSession, replace: Bool, progress: (TableResult) -> Void = { _ in }) throws -> Outcome {
        let started = Date()
        guard FileManager.default.fileExists(atPath: source) else {
            throw PostgresStoreError.statement("db copy", "no SQLite registry at \(source)")
        }
        var config = Configuration()
        config.readonly = true
        let registry = try DatabaseQueue(path: source, configuration: config)
        let auditQueue: DatabaseQueue? = try audit.flatMap { path in
            FileManager.default.fileExists(atPath: path) ? try DatabaseQueue(path: path, configuration: config) : nil
        }
        try PostgresMigrations.migrate(session)
        let registryColumns = try Self.targetColumns(Self.registryTables, in: session)
        let auditColumns = try Self.targetColumns(Self.auditTables + [Self.checkpointTable], in: session)
        let signed = try checkpoints.map(Self.readCheckpoints) ?? []
        var results: [TableResult] = []
        try session.transaction {
            try session.query("SELECT pg_advisory_xact_lock(\(PostgresMigrations.lockKey))", "wait for the migration lock")
            try prepareTarget(session, replace: replace)
            results += try copy(from: registry, tables: Self.registryTables, columns: registryColumns, into: session, progress: progress)
            if let auditQueue {
                results += try copy(from: auditQueue, tables: Self.auditTables, columns: auditColumns, into: session, progress: progress)
            }
            if let checkpoints, FileManager.default.fileExists(atPath: checkpoints) {
                let result = try copyCheckpoints(signed, columns: auditColumns[Self.checkpointTable] ?? [], into: session)
                progress(result)
                results.append(result)
            }
        }
        return Outcome(tables: results, seconds: Date().timeIntervalSince(started))
    }

    /// Refuses a non-empty target, or empties it when told to.
    private func prepareTarget(_ session: PostgresSession, replace: Bool) throws {
        // The audit log's checkpoints go with the log they vouched for.
        let all = Self.registryTables + Self.auditTables + [Self.checkpointTable]
        if replace {
            try session.execute("TRUNCATE " + all.joined(separator: ", "), "empty the target tables")
            return
        }
        for t in all {
            let n = try session.query("SELECT count(*) FROM (SELECT 1 FROM \(unescaped: t) LIMIT 1) x", "count \(t)")[0].decode(Int64.self)
            if n > 0 {
                let rows = try session.query("SELECT count(*) FROM \(unescaped: t)", "count \(t)")[0].decode(Int64.self)
                throw PostgresStoreError.targetNotEmpty(table: t, rows: Int(rows))
            }
        }
    }

    /// Copies `tables` from one SQLite database, in one read snapshot of it.
    private func copy(from db: DatabaseQueue, tables: [String], columns: [String: [(String, ColumnType)]],
                      into session: PostgresSession, progress: (TableResult) -> Void) throws -> [TableResult] {
        try db.read { db in
            let present = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
            let known = Set(tables).union(Self.derivedTables).union(Self.registryTables).union(Self.auditTables)
            if let unknown = present.subtracting(known).filter({ !$0.hasPrefix("sqlite_") }).sorted().first {
                throw PostgresStoreError.unknownTable(unknown)
            }
            var results: [TableResult] = []
            for table in tables {
                let cols = columns[table] ?? []
                let result: TableResult
                if present.contains(table) {
                    result = try copyTable(table, columns: cols, from: db, into: session)
                } else {
                    result = try verify(table, columns: cols, expected: TableDigest(), in: session)
                }
                progress(result)
                results.append(result)
            }
            return results
        }
    }

    /// Streams one table and verifies it.
    private func copyTable(_ table: String, columns: [(String, ColumnType)], from db: Database, into session: PostgresSession) throws -> TableResult {
        let sourceColumns = try Row.fetchAll(db, sql: "PRAGMA table_info(\(table))").map { $0["name"] as String }
        if let extra = Set(sourceColumns).subtracting(columns.map(\.0)).sorted().first {
            throw PostgresStoreError.statement("db copy", "column \(table).\(extra) of the SQLite registry has no PostgreSQL counterpart: nothing copied")
        }
        let present = columns.filter { sourceColumns.contains($0.0) }
        let order = try Self.keyColumns(table, in: db).filter { k in present.contains { $0.0 == k } }
        let orderBy = (order.isEmpty ? present.map(\.0) : order).map { "\"\($0)\"" }.joined(separator: ", ")
        var digest = TableDigest()
        let chunkBytes = self.chunkBytes
        try session.copy(into: table, columns: present.map(\.0)) { send in
            let cursor = try Row.fetchCursor(db, sql: "SELECT \(present.map { "\"\($0.0)\"" }.joined(separator: ", ")) FROM \(table) ORDER BY \(orderBy)")
            var buffer = ByteBufferAllocator().buffer(capacity: chunkBytes + 4096)
            var line = 0
            while let row = try cursor.next() {
                line += 1
                var values: [CanonicalValue] = []
                values.reserveCapacity(present.count)
                for (i, (name, type)) in present.enumerated() {
                    do { values.append(try CanonicalValue(sqlite: row[i] as DatabaseValue, as: type)) } catch {
                        throw PostgresStoreError.statement("db copy", "\(table).\(name), row \(line) in key order: \(error)")
                    }
                }
                // Columns the source lacks (an older SQLite schema) take their defaults on PostgreSQL
                // and are not part of the digest on either side.
                digest.add(values)
                for (i, v) in values.enumerated() {
                    if i > 0 { buffer.writeInteger(UInt8(0x09)) }
                    v.appendCopyText(to: &buffer)
                }
                buffer.writeInteger(UInt8(0x0A))
                if buffer.readableBytes >= chunkBytes {
                    try send(buffer)
                    buffer = ByteBufferAllocator().buffer(capacity: chunkBytes + 4096)
                }
            }
            if buffer.readableBytes > 0 { try send(buffer) }
        }
        if present.contains(where: { $0.0 == "id" || $0.0 == "sequence" }) {
            try Self.resetIdentity(table, session: session)
        }
        return try verify(table, columns: present, order: order, expected: digest, in: session)
    }

    /// Reads the table back from PostgreSQL in the same order and compares count and digest.
    func verify(_ table: String, columns: [(String, ColumnType)], order: [String] = [],
                        expected: TableDigest, in session: PostgresSession) throws -> TableResult {
        let digest = LockedBox(TableDigest())
        let failure = LockedBox<String?>(nil)
        let keys = order.isEmpty ? columns.map(\.0) : order
        let orderBy = keys.map { (k: String) -> String in
            let type = columns.first { $0.0 == k }?.1
            let collate: String = type == .text ? " COLLATE \"C\"" : ""
            return "\"" + k + "\"" + collate + " NULLS FIRST"
        }.joined(separator: ", ")
        let types = columns.map(\.1)
        if !columns.isEmpty {
            let sql = "SELECT \(columns.map { "\"\($0.0)\"" }.joined(separator: ", ")) FROM \(table) ORDER BY \(orderBy)"
            try session.forEachRow(PostgresQuery(unsafeSQL: sql), "read back \(table)") { row in
                var values: [CanonicalValue] = []
                values.reserveCapacity(types.count)
                for (i, cell) in row.enumerated() {
                    do { values.append(try CanonicalValue(postgres: cell, as: types[i])) } catch {
                        failure.value = "\(cell.columnName): \(error)"
                        return
                    }
                }
                digest.withValue { $0.add(values) }
            }
        }
        if let f = failure.value { throw PostgresStoreError.copyMismatch(table: table, detail: f) }
        let got = digest.value
        guard got.rows == expected.rows else {
            throw PostgresStoreError.copyMismatch(table: table, detail: "\(expected.rows) rows in SQLite, \(got.rows) in PostgreSQL")
        }
        guard got.finish() == expected.finish() else {
            throw PostgresStoreError.copyMismatch(table: table, detail: "digest \(expected.finish()) in SQLite, \(got.finish()) in PostgreSQL")
        }
        return TableResult(table: table, rows: got.rows, digest: got.finish())
    }

    /// The primary-key columns of a SQLite table, in key order (empty when it has none).
    static func keyColumns(_ table: String, in db: Database) throws -> [String] {
        try Row.fetchAll(db, sql: "PRAGMA table_info(\(table))")
            .compactMap { row -> (Int, String)? in
                let pk: Int = row["pk"]
                return pk > 0 ? (pk, row["name"]) : nil
            }
            .sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// The columns of each target table, in table order, with their types.
    static func targetColumns(_ tables: [String], in session: PostgresSession) throws -> [String: [(String, ColumnType)]] {
        var result: [String: [(String, ColumnType)]] = [:]
        for t in tables {
            let rows = try session.query("""
                SELECT column_name::text, data_type::text FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = \(t) ORDER BY ordinal_position
                """, "read the columns of \(t)")
            result[t] = try rows.map { row in
                let (name, type) = try row.decode((String, String).self)
                guard let ct = ColumnType(postgres: type) else {
                    throw PostgresStoreError.statement("db copy", "column \(t).\(name) has type \(type), which the copy does not handle")
                }
                return (name, ct)
            }
        }
        return result
    }

    /// Moves an identity column's sequence past the ids the copy brought.
    static func resetIdentity(_ table: String, session: PostgresSession) throws {
        let column = table == "outbox" ? "sequence" : "id"
        guard table != "audit" else { return }   // audit ids are the chain's, not a sequence's
        try session.query(PostgresQuery(unsafeSQL: """
            SELECT setval(pg_get_serial_sequence('\(table)', '\(column)'), COALESCE((SELECT max("\(column)") FROM \(table)), 0) + 1, false)
            """), "reset the id sequence of \(table)")
    }
}
