import CreditRegistry
import Dispatch
import Hummingbird

/// How many public requests a client address may make: `burst` at once, then `perSecond`.
public struct RateLimit: Sendable, Hashable {
    /// Tokens added to a bucket per second.
    public var perSecond: Double
    /// Capacity of a bucket: requests allowed at once after a quiet spell.
    public var burst: Int

    public init(perSecond: Double, burst: Int) {
        self.perSecond = max(0, perSecond); self.burst = max(1, burst)
    }

    /// 5 requests a second per address, 20 at once.
    public static let `default` = RateLimit(perSecond: 5, burst: 20)
}

/// Token buckets per client address. A request takes a token or is refused with the seconds
/// until the next token. Buckets that have refilled are forgotten when many addresses are
/// known, so memory stays bounded by the addresses active in the last `burst / perSecond` s.
final class RateLimiter: Sendable {
    private struct Bucket { var tokens: Double; var updated: Double }
    let limit: RateLimit
    private let buckets = LockedBox<[String: Bucket]>([:])
    /// Buckets kept before refilled ones are dropped.
    static let pruneAbove = 100_000

    init(limit: RateLimit) { self.limit = limit }

    /// Takes a token for `address`: nil when allowed, else the whole seconds to wait.
    func take(_ address: String) -> Int? {
        let now = Double(DispatchTime.now().uptimeNanoseconds) / 1e9
        let limit = self.limit
        return buckets.withValue { all -> Int? in
            if all.count > Self.pruneAbove {
                all = all.filter { $0.value.tokens + (now - $0.value.updated) * limit.perSecond < Double(limit.burst) }
            }
            var b = all[address] ?? Bucket(tokens: Double(limit.burst), updated: now)
            b.tokens = min(Double(limit.burst), b.tokens + (now - b.updated) * limit.perSecond)
            b.updated = now
            defer { all[address] = b }
            if b.tokens >= 1 { b.tokens -= 1; return nil }
            guard limit.perSecond > 0 else { return 3600 }
            return max(1, Int(((1 - b.tokens) / limit.perSecond).rounded(.up)))
        }
    }
}

/// Refuses a request above its address's rate with 429, a `rate_limited` problem document and
/// `Retry-After`.
struct RateLimitMiddleware: RouterMiddleware {
    let limiter: RateLimiter

    func handle(_ request: Request, context: ServiceContext, next: (Request, ServiceContext) async throws -> Response) async throws -> Response {
        if let wait = limiter.take(context.clientAddress ?? "unknown") {
            throw Problem(.tooManyRequests, code: "rate_limited",
                          detail: "at most \(limiter.limit.burst) requests at once and \(limiter.limit.perSecond) a second per address; retry in \(wait) s",
                          headers: [.retryAfter: String(wait)])
        }
        return try await next(request, context)
    }
}
