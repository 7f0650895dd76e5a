import CSQLiteSettings

/// Settings SQLite takes once per process, before its first connection opens.
public enum SQLiteProcess {
    /// Turns off SQLite's memory statistics, which nothing here reads: with them on, every
    /// allocation and free inside SQLite takes one global mutex (3 % of a feed writer's time).
    /// Runs once; has no effect when a connection was opened before (SQLite is initialised then).
    public static func configure() { _ = configured }

    private static let configured: Int32 = credit_sqlite_disable_memstatus()
}
