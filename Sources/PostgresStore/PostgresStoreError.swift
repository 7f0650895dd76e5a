/// What went wrong with a PostgreSQL registry, said so that an operator can act on it.
public enum PostgresStoreError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The `postgres://` URL (password hidden) and what is wrong with it.
    case badURL(String, String)
    /// The server could not be reached or refused the connection.
    case connection(String, String)
    /// A statement failed: what was being done and the server's message.
    case statement(String, String)
    /// `db copy` into a database that already holds rows (table, rows), without `--replace`.
    case targetNotEmpty(table: String, rows: Int)
    /// The SQLite registry has a table the copy does not know what to do with.
    case unknownTable(String)
    /// Counts or digests differ after a copy: nothing was committed.
    case copyMismatch(table: String, detail: String)
    /// The audit log's checkpoint file (path) holds what the copy cannot carry (line and why): nothing copied.
    case badCheckpointFile(path: String, line: Int, detail: String)
    /// The database was migrated by a newer version of this program.
    case unknownMigration(String)
    /// A use-case this backend does not serve yet.
    case notPorted(String)

    public var description: String {
        switch self {
        case .badURL(let url, let why): "bad PostgreSQL URL \(url): \(why)"
        case .connection(let at, let why): "cannot connect to \(at): \(why)"
        case .statement(let what, let why): "\(what): \(why)"
        case .targetNotEmpty(let table, let rows):
            "the target database is not empty (\(table) holds \(rows) rows): copy into an empty database, or pass --replace"
        case .unknownTable(let t): "the SQLite registry has a table \(t) that has no PostgreSQL counterpart: nothing copied"
        case .copyMismatch(let table, let detail): "copy of \(table) does not match its source (\(detail)): nothing committed"
        case .badCheckpointFile(let path, let line, let detail):
            "line \(line) of the audit checkpoint file \(path) \(detail): nothing copied (creditctl audit verify on the SQLite registry says more)"
        case .unknownMigration(let name): "the database has migration \(name), which this version does not know: upgrade creditctl"
        case .notPorted(let what): "\(what) is not available on PostgreSQL yet (it runs on a SQLite registry)"
        }
    }
}
