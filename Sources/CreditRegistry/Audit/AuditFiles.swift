/// Where the audit log of a registry keeps its three files, beside the registry's database:
/// `credit.db` → `credit.audit.db` (the entries, SQLite in WAL mode), `credit.audit.key` (the
/// secret that keys every entry and checkpoint, mode 0600) and `credit.audit.checkpoints`
/// (signed checkpoints, one a line, append-only).
///
/// ```swift
/// let files = AuditFiles(beside: "data/credit.db")
/// files.database      // "data/credit.audit.db"
/// files.key           // "data/credit.audit.key" (or the path given, e.g. from CREDIT_AUDIT_KEY)
/// ```
public struct AuditFiles: Sendable, Hashable {
    /// The SQLite file of the entries.
    public var database: String
    /// The key file (kept out of the database; readable by its owner only).
    public var key: String
    /// The append-only file of signed checkpoints.
    public var checkpoints: String

    /// The files beside the registry at `registryPath`; `key` overrides the key file's path.
    public init(beside registryPath: String, key: String? = nil) {
        let base = registryPath.hasSuffix(".db") ? String(registryPath.dropLast(3)) : registryPath
        database = base + ".audit.db"
        self.key = key ?? base + ".audit.key"
        checkpoints = base + ".audit.checkpoints"
    }

    public init(database: String, key: String, checkpoints: String) {
        self.database = database; self.key = key; self.checkpoints = checkpoints
    }

    /// The environment variable that names the key file when no option does.
    public static let keyEnvironmentVariable = "CREDIT_AUDIT_KEY"
}
