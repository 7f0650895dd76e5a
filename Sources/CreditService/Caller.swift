import CreditOperations
import CreditRegistry
import Foundation

/// Who is calling the API: the account its bearer token belongs to.
public typealias Caller = Account

/// The tokens the service accepts: the registry's accounts (tokens stored as SHA-256 digests),
/// or a fixed set given in memory (embedding, tests).
///
/// Database look-ups are cached for ``ttl``: a revoked or rotated token stops working in a
/// running server within that time (default 5 s), with one indexed read per token and period.
public final class TokenStore: Sendable {
    enum Source: Sendable {
        case fixed([String: Caller])
        case accounts(CreditOperations)
    }
    private struct Cached: Sendable { var caller: Caller?; var until: ContinuousClock.Instant }

    private let source: Source
    /// How long a token's account (or its absence) is trusted before it is read again.
    public let ttl: Duration
    private let cache = LockedBox([String: Cached]())

    /// A fixed set of tokens (kept only as digests).
    public init(tokens: [String: Caller]) {
        var byDigest: [String: Caller] = [:]
        for (token, caller) in tokens { byDigest[AccessToken.digest(token)] = caller }
        source = .fixed(byDigest)
        ttl = .zero
    }

    /// The accounts of the registry `operations` opened.
    public init(accounts operations: CreditOperations, ttl: Duration = .seconds(5)) {
        source = .accounts(operations)
        self.ttl = ttl
    }

    /// The caller from the cache alone: `.some` when known (an account or known-unknown), nil
    /// when the store must be asked (``caller(token:)``).
    func cachedCaller(token: String) -> Caller?? { cachedCaller(digest: AccessToken.digest(token)) }

    /// ``cachedCaller(token:)`` for a token's digest.
    func cachedCaller(digest: String) -> Caller?? {
        switch source {
        case .fixed(let callers): return .some(callers[digest])
        case .accounts:
            let now = ContinuousClock.now
            return cache.withValue { c -> Caller?? in
                guard let hit = c[digest], hit.until > now else { return nil }
                return .some(hit.caller)
            }
        }
    }

    /// The caller a bearer token stands for (blocks on the database on a cache miss: call it on
    /// a blocking pool).
    public func caller(token: String) throws -> Caller? { try caller(digest: AccessToken.digest(token)) }

    /// The caller of the token whose digest is `digest` (a session keeps only the digest).
    public func caller(digest: String) throws -> Caller? {
        if let known = cachedCaller(digest: digest) { return known }
        guard case .accounts(let operations) = source else { return nil }
        let account = try operations.authenticate(digest: digest)
        let until = ContinuousClock.now + ttl
        cache.withValue { c in
            if c.count > 10_000 { c.removeAll() }   // unknown tokens must not grow it without bound
            c[digest] = Cached(caller: account, until: until)
        }
        return account
    }
}
