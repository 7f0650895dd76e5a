import CreditRegistry
import PostgresNIO

/// The officers' page's sessions in PostgreSQL's `officer_session` table (``SessionKeeping``):
/// a session signed in on one server is accepted, and ended, by every server of the database.
/// Rows are keyed by the SHA-256 of the session id, so the table gives no one a usable cookie.
public struct PostgresSessions: SessionKeeping {
    public let pool: PostgresSessionPool

    public init(pool: PostgresSessionPool) { self.pool = pool }

    public func insert(_ s: StoredSession, now: Double, idleTimeout: Double, lifetime: Double) throws {
        try pool.with { session in
            try session.transaction {
                try session.query("""
                    DELETE FROM officer_session WHERE last_used_at <= \(now - idleTimeout) OR created_at <= \(now - lifetime)
                    """, "forget expired sessions")
                try session.query("""
                    INSERT INTO officer_session (id_digest, account, role, department, token_digest, csrf_token, created_at, last_used_at)
                    VALUES (\(s.idDigest), \(s.accountName), \(s.role), \(s.department), \(s.tokenDigest), \(s.csrfToken), \(s.createdAt), \(s.lastUsedAt))
                    """, "store a session")
            }
        }
    }

    public func touch(idDigest: String, now: Double, idleTimeout: Double, lifetime: Double) throws -> StoredSession? {
        try pool.with { session in
            let rows = try session.query("""
                UPDATE officer_session SET last_used_at = greatest(last_used_at, \(now))
                WHERE id_digest = \(idDigest) AND last_used_at > \(now - idleTimeout) AND created_at > \(now - lifetime)
                RETURNING id_digest, account, role, department, token_digest, csrf_token, created_at, last_used_at
                """, "use a session")
            guard let row = rows.first else {
                try session.query("DELETE FROM officer_session WHERE id_digest = \(idDigest)", "forget an expired session")
                return nil
            }
            let (id, account, role, department, token, csrf, created, used) =
                try row.decode((String, String, String, String?, String, String, Double, Double).self)
            return StoredSession(idDigest: id, accountName: account, role: role, department: department, tokenDigest: token,
                                 csrfToken: csrf, createdAt: created, lastUsedAt: used)
        }
    }

    public func delete(idDigest: String) throws {
        try pool.with { session in
            _ = try session.query("DELETE FROM officer_session WHERE id_digest = \(idDigest)", "end a session")
        }
    }
}
