import GRDB

extension Registry {
    /// Whether `error` is SQLite's "database is locked" (another connection held the write lock
    /// past the busy timeout), for the use-case layer to answer "try again" rather than "failed".
    public static func isBusy(_ error: any Error) -> Bool {
        guard let e = error as? DatabaseError else { return false }
        return e.resultCode == .SQLITE_BUSY || e.resultCode == .SQLITE_LOCKED
    }
}
