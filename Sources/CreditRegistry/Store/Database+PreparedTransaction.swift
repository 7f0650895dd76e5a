import GRDB
import GRDBSQLite

/// Transactions begun and ended by statements prepared once per connection.
///
/// GRDB's `read` and `write` prepare `BEGIN … TRANSACTION` and `COMMIT TRANSACTION` afresh on
/// every call (SQL parsing and compilation); the paths that run a short transaction per batch of
/// look-ups keep those statements in the connection's statement cache instead.
///
/// ```swift
/// let n = try registry.writer.unsafeRead { db in
///     try db.inPreparedTransaction(.deferred) { try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM subject") }
/// }
/// ```
extension Database {
    /// How a prepared transaction takes its lock: `deferred` on the first read (snapshots),
    /// `immediate` at once (writers, so that two never upgrade into `SQLITE_BUSY`).
    public enum PreparedTransactionKind: String, Sendable {
        case deferred = "BEGIN DEFERRED TRANSACTION"
        case immediate = "BEGIN IMMEDIATE TRANSACTION"
    }

    /// Runs `body` in a transaction of its own and commits it; rolls back when `body` or the
    /// commit throws, and rethrows. Must be called outside any transaction.
    public func inPreparedTransaction<T>(_ kind: PreparedTransactionKind, _ body: () throws -> T) throws -> T {
        try cachedStatement(sql: kind.rawValue).run(self)
        do {
            let result = try body()
            try cachedStatement(sql: "COMMIT TRANSACTION").run(self)
            return result
        } catch {
            // A failed statement may already have ended the transaction (SQLite rolls back on
            // some errors); roll back only what is still open.
            if sqlite3_get_autocommit(sqliteConnection) == 0 {
                _ = try? cachedStatement(sql: "ROLLBACK TRANSACTION").run(self)
            }
            throw error
        }
    }
}
