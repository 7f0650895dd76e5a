/// One signed-in session of the officers' page as a shared store keeps it: the account it signed
/// in as, the digest of the token that signed in (never the token), its CSRF token, and when it
/// began and was last used (seconds since 1970, the wall clock every server of a database shares).
public struct StoredSession: Sendable, Hashable {
    /// The SHA-256 of the session id (the cookie's value): the id itself is never stored.
    public var idDigest: String
    public var accountName: String
    public var role: String
    public var department: String?
    public var tokenDigest: String
    public var csrfToken: String
    public var createdAt: Double
    public var lastUsedAt: Double

    public init(idDigest: String, accountName: String, role: String, department: String?, tokenDigest: String,
                csrfToken: String, createdAt: Double, lastUsedAt: Double) {
        self.idDigest = idDigest; self.accountName = accountName; self.role = role; self.department = department
        self.tokenDigest = tokenDigest; self.csrfToken = csrfToken; self.createdAt = createdAt; self.lastUsedAt = lastUsedAt
    }
}

/// Where the officers' page's sessions are kept when every server of a database must accept a
/// session another signed in (the PostgreSQL backend's `officer_session` table). Without one, a
/// server keeps its sessions in memory.
public protocol SessionKeeping: Sendable {
    /// Stores a new session, and forgets those that have expired at `now` (idle for `idleTimeout`
    /// seconds, or begun `lifetime` seconds ago).
    func insert(_ session: StoredSession, now: Double, idleTimeout: Double, lifetime: Double) throws
    /// The session whose id digest is `idDigest` if it is live at `now`, its last use set to
    /// `now`; nil when there is none, and an expired one is forgotten.
    func touch(idDigest: String, now: Double, idleTimeout: Double, lifetime: Double) throws -> StoredSession?
    /// Forgets the session (sign-out, its account revoked); nothing when there is none.
    func delete(idDigest: String) throws
}
