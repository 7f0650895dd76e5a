import CreditOperations
import CreditRegistry
import Foundation

/// The officers' page's signed-in sessions, kept in memory (a restart signs everyone out), or in
/// a ``SessionKeeping`` store that every server of one database shares (PostgreSQL).
///
/// A session is bound to the account whose token signed it in: it keeps the token's digest,
/// never the token, and the authenticator asks the ``TokenStore`` for that digest on every
/// request, so revoking or rotating the token ends its sessions (within the store's cache time).
/// Each session has its own CSRF token, which the page sends in ``SessionStore/csrfHeader`` on
/// every request that changes something.
public final class SessionStore: Sendable {
    /// The cookie carrying the session id (HttpOnly, SameSite=Strict, Path=/).
    public static let cookieName = "cc_session"
    /// The header carrying the session's CSRF token on unsafe requests.
    public static let csrfHeader = "X-CSRF-Token"

    /// One signed-in session.
    public struct Session: Sendable {
        public var account: Caller
        /// The digest of the token that signed in (``AccessToken/digest(_:)``).
        public var tokenDigest: String
        public var csrfToken: String
        public var created: ContinuousClock.Instant
        public var lastUsed: ContinuousClock.Instant
    }

    /// A session ends after this long without a request…
    public let idleTimeout: Duration
    /// …and in any case this long after sign-in.
    public let lifetime: Duration
    /// At most this many sessions are kept; the least recently used one goes first.
    public let capacity: Int
    private let sessions = LockedBox([String: Session]())
    /// Where sessions are kept when the servers of one database share them; nil: in memory.
    public let keeper: (any SessionKeeping)?

    public init(idleTimeout: Duration = .seconds(30 * 60), lifetime: Duration = .seconds(8 * 3600), capacity: Int = 10_000,
                keeper: (any SessionKeeping)? = nil) {
        self.idleTimeout = idleTimeout; self.lifetime = lifetime; self.capacity = capacity; self.keeper = keeper
    }

    /// Starts a session for `account` and returns its id (the cookie's value) and the session.
    public func open(account: Caller, tokenDigest: String) -> (id: String, session: Session) {
        let now = ContinuousClock.now
        let session = Session(account: account, tokenDigest: tokenDigest, csrfToken: Self.randomToken(),
                              created: now, lastUsed: now)
        let id = Self.randomToken()
        sessions.withValue { all in
            if all.count >= capacity {
                all = all.filter { isLive($0.value, now: now) }
                if all.count >= capacity, let oldest = all.min(by: { $0.value.lastUsed < $1.value.lastUsed }) {
                    all[oldest.key] = nil
                }
            }
            all[id] = session
        }
        return (id, session)
    }

    /// The live session with `id`, its idle clock restarted; nil (and forgotten) when expired.
    public func session(id: String) -> Session? {
        let now = ContinuousClock.now
        return sessions.withValue { all -> Session? in
            guard var s = all[id] else { return nil }
            guard isLive(s, now: now) else { all[id] = nil; return nil }
            s.lastUsed = now
            all[id] = s
            return s
        }
    }

    /// Ends the session `id` (sign-out, or its account revoked).
    public func close(id: String) { sessions.withValue { $0[id] = nil } }

    /// How many sessions are held (expired ones included until next touched).
    public var count: Int { sessions.withValue { $0.count } }

    private func isLive(_ s: Session, now: ContinuousClock.Instant) -> Bool {
        now - s.lastUsed < idleTimeout && now - s.created < lifetime
    }

    /// 256 random bits, base64url without padding.
    static func randomToken() -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Compares two secrets in time independent of where they differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in x.indices { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}
