import CreditOperations
import CreditRegistry
import Foundation

/// The session calls the service makes: in memory without a ``SessionStore/keeper``, else in the
/// shared store on `pool` (it blocks on the database), with the same expiry rules.
extension SessionStore {
    /// Starts a session for `account` and returns its id (the cookie's value) and the session.
    func open(account: Caller, tokenDigest: String, on pool: BlockingPool) async throws -> (id: String, session: Session) {
        guard let keeper else { return open(account: account, tokenDigest: tokenDigest) }
        let id = Self.randomToken()
        let now = Date().timeIntervalSince1970
        let stored = StoredSession(idDigest: AccessToken.digest(id), accountName: account.name, role: account.role.rawValue,
                                   department: account.department, tokenDigest: tokenDigest, csrfToken: Self.randomToken(),
                                   createdAt: now, lastUsedAt: now)
        let (idle, life) = (Self.inSeconds(idleTimeout), Self.inSeconds(lifetime))
        try await pool.run { try keeper.insert(stored, now: now, idleTimeout: idle, lifetime: life) }
        let at = ContinuousClock.now
        return (id, Session(account: account, tokenDigest: tokenDigest, csrfToken: stored.csrfToken, created: at, lastUsed: at))
    }

    /// The live session with `id`, its idle clock restarted; nil (and forgotten) when expired or unknown.
    func session(id: String, on pool: BlockingPool) async throws -> Session? {
        guard let keeper else { return session(id: id) }
        let now = Date().timeIntervalSince1970
        let (idle, life) = (Self.inSeconds(idleTimeout), Self.inSeconds(lifetime))
        guard let s = try await pool.run({ try keeper.touch(idDigest: AccessToken.digest(id), now: now, idleTimeout: idle, lifetime: life) }),
              let role = AccountRole(rawValue: s.role) else { return nil }
        let at = ContinuousClock.now
        return Session(account: Caller(name: s.accountName, role: role, department: s.department), tokenDigest: s.tokenDigest,
                       csrfToken: s.csrfToken, created: at - .seconds(max(0, now - s.createdAt)), lastUsed: at)
    }

    /// Ends the session `id` (sign-out, or its account revoked) on every server.
    func close(id: String, on pool: BlockingPool) async throws {
        guard let keeper else { close(id: id); return }
        let digest = AccessToken.digest(id)
        try await pool.run { try keeper.delete(idDigest: digest) }
    }

    static func inSeconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
}
