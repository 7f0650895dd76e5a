import GRDB

/// A second connection to a SQLite file that holds its write lock (an open write transaction)
/// until ``release()`` — as a long feed ingest or rule activation in another process does. It
/// opens the file as the application does (a WAL pool, which leaves a non-empty WAL behind).
///
/// ```swift
/// let lock = try HeldWriteLock(scratch.path("credit.db"))
/// defer { try? lock.release() }
/// ```
public final class HeldWriteLock: Sendable {
    private let pool: DatabasePool

    public init(_ path: String) throws {
        var config = Configuration()
        config.allowsUnsafeTransactions = true
        pool = try DatabasePool(path: path, configuration: config)
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS held_lock (x); INSERT INTO held_lock VALUES (1)")
        }
    }

    /// Ends the transaction, changing nothing.
    public func release() throws { try pool.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") } }
}

/// Raw SQL on a SQLite file, past the application (as someone with write access to the file).
public enum RawSQLite {
    public static func execute(_ path: String, _ sql: String) throws {
        try DatabaseQueue(path: path).writeWithoutTransaction { db in try db.execute(sql: sql) }
    }
}
