import CreditRegistry
import PostgresNIO

/// The service's accounts in PostgreSQL's `account` table (the schema of SQLite's
/// ``AccountStore``): what `creditctl users` changes and every server authenticates against
/// (``PostgresRegistryReading/activeAccount(digest:)``). Each call is one transaction; a name
/// taken or a digest held by another account refuses the whole insert.
public struct PostgresAccounts: AccountKeeping {
    public let pool: PostgresSessionPool

    public init(pool: PostgresSessionPool) { self.pool = pool }

    public func insert(_ accounts: [StoredAccount]) throws {
        try pool.with { session in
            try session.transaction {
                // Serialises inserts of every process, so two cannot both see a name free.
                try session.execute("LOCK TABLE account IN SHARE ROW EXCLUSIVE MODE", "lock the accounts")
                for a in accounts {
                    if try !session.query("SELECT 1 FROM account WHERE name = \(a.name)", "look up account \(a.name)").isEmpty {
                        throw AccountConflict.nameTaken(a.name)
                    }
                    if try !session.query("SELECT 1 FROM account WHERE token_digest = \(a.tokenDigest)", "look up a token digest").isEmpty {
                        throw AccountConflict.digestInUse(a.name)
                    }
                    try session.query("""
                        INSERT INTO account (name, role, department, token_digest, created_at, revoked_at)
                        VALUES (\(a.name), \(a.role), \(a.department), \(a.tokenDigest), \(a.createdAt), \(a.revokedAt))
                        """, "insert account \(a.name)")
                }
            }
        }
    }

    public func all() throws -> [StoredAccount] {
        try pool.with { session in
            try session.query("""
                SELECT name, role, department, token_digest, created_at, revoked_at FROM account ORDER BY name COLLATE "C"
                """, "list the accounts").map(Self.account)
        }
    }

    public func revoke(name: String, at: String) throws -> StoredAccount? {
        try pool.with { session in
            try session.query("""
                UPDATE account SET revoked_at = \(at) WHERE name = \(name)
                RETURNING name, role, department, token_digest, created_at, revoked_at
                """, "revoke account \(name)").first.map(Self.account)
        }
    }

    public func replaceDigest(name: String, digest: String) throws -> StoredAccount? {
        try pool.with { session in
            try session.query("""
                UPDATE account SET token_digest = \(digest), revoked_at = NULL WHERE name = \(name)
                RETURNING name, role, department, token_digest, created_at, revoked_at
                """, "rotate the token of account \(name)").first.map(Self.account)
        }
    }

    private static func account(_ row: PostgresRow) throws -> StoredAccount {
        let (name, role, department, digest, createdAt, revokedAt) = try row.decode((String, String, String?, String, String, String?).self)
        return StoredAccount(name: name, role: role, department: department, tokenDigest: digest, createdAt: createdAt, revokedAt: revokedAt)
    }
}
