import Foundation
import GRDB

/// One account of the service as stored: who, in which role and department, and the SHA-256
/// digest of their bearer token (the token itself is never stored).
public struct StoredAccount: Sendable, Hashable {
    public var name: String
    /// A role id of the use-case layer (`officer`, `bank`, …), kept as text here.
    public var role: String
    public var department: String?
    /// Lower-case hex SHA-256 of the token.
    public var tokenDigest: String
    public var createdAt: String
    /// When the account was revoked; a revoked account authenticates nobody.
    public var revokedAt: String?

    public init(name: String, role: String, department: String?, tokenDigest: String, createdAt: String, revokedAt: String? = nil) {
        self.name = name; self.role = role; self.department = department
        self.tokenDigest = tokenDigest; self.createdAt = createdAt; self.revokedAt = revokedAt
    }
}

/// The `account` table of the registry database, with its own append-only migrations (like the
/// decision tables), and the reads and writes the account use-cases need.
///
/// ```swift
/// try AccountStore.migrate(registry)   // once, when the registry is opened
/// let store = AccountStore(registry: registry)
/// try registry.write { db in try store.insert(account, in: db) }
/// let who = try store.active(digest: Digest.sha256Hex(token.utf8))
/// ```
public struct AccountStore: Sendable {
    public let registry: Registry

    public init(registry: Registry) {
        self.registry = registry
    }

    /// Creates or upgrades the table (idempotent).
    public static func migrate(_ registry: Registry) throws {
        try migrator.migrate(registry.writer)
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-accounts") { db in
            try db.execute(sql: """
                CREATE TABLE account (
                    name TEXT PRIMARY KEY,
                    role TEXT NOT NULL,
                    department TEXT,
                    token_digest TEXT NOT NULL UNIQUE,  -- SHA-256 hex of the bearer token
                    created_at TEXT NOT NULL,
                    revoked_at TEXT
                );
                """)
        }
        return m
    }

    private static func account(_ row: Row) -> StoredAccount {
        StoredAccount(name: row["name"], role: row["role"], department: row["department"], tokenDigest: row["token_digest"],
                      createdAt: row["created_at"], revokedAt: row["revoked_at"])
    }

    /// The account a token digest belongs to, unless it was revoked.
    public func active(digest: String) throws -> StoredAccount? {
        try registry.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM account WHERE token_digest = ? AND revoked_at IS NULL", arguments: [digest])
                .map(Self.account)
        }
    }

    /// The account named `name` (revoked or not).
    public func account(named name: String, in db: Database) throws -> StoredAccount? {
        try Row.fetchOne(db, sql: "SELECT * FROM account WHERE name = ?", arguments: [name]).map(Self.account)
    }

    /// Whether any account (revoked ones included) holds this token digest.
    public func digestInUse(_ digest: String, in db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM account WHERE token_digest = ?)", arguments: [digest]) ?? false
    }

    /// Every account, by name.
    public func all() throws -> [StoredAccount] {
        try registry.read { db in try Row.fetchAll(db, sql: "SELECT * FROM account ORDER BY name").map(Self.account) }
    }

    public func insert(_ a: StoredAccount, in db: Database) throws {
        try db.execute(sql: """
            INSERT INTO account (name, role, department, token_digest, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [a.name, a.role, a.department, a.tokenDigest, a.createdAt, a.revokedAt])
    }

    /// Marks the account revoked at `at`.
    public func revoke(name: String, at: String, in db: Database) throws {
        try db.execute(sql: "UPDATE account SET revoked_at = ? WHERE name = ?", arguments: [at, name])
    }

    /// Replaces the token digest of an account (and lifts a revocation: a rotated account is live).
    public func replaceDigest(name: String, digest: String, in db: Database) throws {
        try db.execute(sql: "UPDATE account SET token_digest = ?, revoked_at = NULL WHERE name = ?", arguments: [digest, name])
    }
}
