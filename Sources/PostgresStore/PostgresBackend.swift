import CreditQuery
import CreditRegistry
import Decisions
import Foundation
import GRDB
import Logging

/// What the use-case layer needs to run on a PostgreSQL registry: the reads of the look-ups,
/// the audit log, and a stand-in for the SQLite registry that the use-cases not ported yet would
/// otherwise read — with its tables removed, so that such a use-case fails ("no such table")
/// instead of answering from an empty registry.
///
/// ```swift
/// let backend = try PostgresBackend.open(url: "postgres://credit@db/credit", auditKey: "/etc/credit/audit.key")
/// let ops = try CreditOperations(registry: backend.standIn, clock: .system, reader: backend.reader, auditTrail: backend.audit)
/// try backend.seal(ops.registry)
/// ```
public struct PostgresBackend: Sendable {
    public let pool: PostgresSessionPool
    /// Where look-ups, name search, reports, batch checks and the feed ledger read: ``pool``, or a
    /// read replica's (``open(url:auditKey:readURL:logger:)``).
    public let readPool: PostgresSessionPool
    public let reader: any RegistryReading
    public let audit: PostgresAuditLog
    /// Where the report, the batch check and the feed ledger read (slices of the registry).
    public let slices: PostgresSlices
    /// An in-memory SQLite registry for ``CreditOperations``'s initialiser; ``seal(_:)`` it after.
    public let standIn: Registry

    /// Connects, applies the migrations the database lacks, and loads the audit key (created at
    /// `auditKey` only while the database's audit log is empty: every server must use the same key).
    ///
    /// `readURL` points the reads at a read replica (a streaming standby of the database at
    /// `url`): look-ups, name search, reports, batch checks and the feed ledger read there and see
    /// the primary as of the replica's replay; authentication, the audit log and every write stay
    /// on `url`, so a token revoked there is refused without waiting for the replica.
    public static func open(url: String, auditKey: String, readURL: String? = nil,
                            logger: Logger = Logger(label: "credit.postgres")) throws -> PostgresBackend {
        let pool = PostgresSessionPool(location: try PostgresLocation(url: url), logger: logger)
        let readPool = try readURL.map { PostgresSessionPool(location: try PostgresLocation(url: $0), logger: logger) } ?? pool
        let empty = try pool.with { session -> Bool in
            try PostgresMigrations.migrate(session)
            return try session.query("SELECT NOT EXISTS (SELECT 1 FROM audit)", "count audit entries")[0].decode(Bool.self)
        }
        let key = try AuditKey.load(path: auditKey, create: empty)
        let primary = PostgresRegistryReading(pool: pool)
        let reader: any RegistryReading = readURL == nil ? primary : ReplicaReading(replica: PostgresRegistryReading(pool: readPool), primary: primary)
        return PostgresBackend(pool: pool, readPool: readPool, reader: reader, audit: PostgresAuditLog(pool: pool, key: key),
                               slices: PostgresSlices(pool: readPool), standIn: try Registry(writer: DatabaseQueue()))
    }

    /// Removes every table of the stand-in registry (after the use-case layer created its own).
    public func seal(_ registry: Registry) throws {
        try registry.writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            for name in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger'") {
                try db.execute(sql: "DROP TRIGGER IF EXISTS \"\(name)\"")
            }
            let tables = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'
                ORDER BY sql LIKE 'CREATE VIRTUAL%' DESC
                """)
            for name in tables { try db.execute(sql: "DROP TABLE IF EXISTS \"\(name)\"") }
        }
    }
}
