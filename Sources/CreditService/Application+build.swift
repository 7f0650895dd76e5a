import CreditOperations
import CreditRegistry
import Foundation
import Hummingbird
import HummingbirdCore
import NIOCore
import Logging

/// Builds the HTTP service: a thin adapter over ``CreditOperations``, the same use-cases the
/// command line calls.
///
/// - `GET /health` — liveness, no token.
/// - `GET /`, `GET /openapi.json` — the officers' page and the API description, no token.
/// - `GET /metrics` — Prometheus metrics (``ServiceMetrics``), for administrators and operators.
/// - `POST /session`, `GET /session`, `DELETE /session`, `POST /session/sign-out` — the page's
///   sign-in (token → session cookie) and sign-out (``SessionController``).
/// - `GET /public/`, `GET /public/v1/subjects/{code}`, `GET /public/v1/search` — the public query
///   (``PublicController``): no token, rate-limited per client address.
/// - `GET /v1/subjects/{id}`, `GET /v1/subjects/{id}/measures`, `GET /v1/search`, `POST /v1/check`,
///   `GET /v1/rules` — bearer token or the page's session cookie (with its CSRF header on POST), checked against the caller's role; look-ups are audited with
///   the caller as actor before they are answered.
///
/// Every database call runs on a dedicated thread pool (batch checks on one of their own, at a
/// lower priority), never on an event loop or Swift's cooperative pool.
///
/// ```swift
/// let app = buildApplication(operations: ops, tokens: try TokenStore(file: "tokens.json"),
///                            host: "127.0.0.1", port: 8080)
/// try await app.runService()
/// ```
public func buildApplication(operations: CreditOperations, tokens: TokenStore, host: String, port: Int,
                             limits: ServiceLimits = ServiceLimits(), publicRateLimit: RateLimit = .default,
                             sessions: SessionStore = SessionStore(), metrics: ServiceMetrics = ServiceMetrics(),
                             logger: Logger = Logger(label: "credit.service"), fastLookups: Bool = true) -> some ApplicationProtocol {
    let parts = ServiceParts(operations: operations, metrics: metrics)
    let router = buildRouter(parts: parts, tokens: tokens, limits: limits, publicRateLimit: publicRateLimit,
                             sessions: sessions, metrics: metrics, logger: logger)
    let fast = fastLookups ? parts.fastPath(tokens: tokens, limits: limits, logger: logger) : nil
    return buildApplication(router: router, host: host, port: port, limits: limits, logger: logger, fastPath: fast)
}

/// A server for `router` with the connection limits of `limits` (header and idle timeouts,
/// connection count); tests add routes to the router first.
public func buildApplication(router: Router<ServiceContext>, host: String, port: Int, limits: ServiceLimits,
                             logger: Logger = Logger(label: "credit.service")) -> some ApplicationProtocol {
    buildApplication(router: router, host: host, port: port, limits: limits, logger: logger, fastPath: nil)
}

/// The server's name in every answer's `Server` header.
let serverName = "creditctl"

func buildApplication(router: Router<ServiceContext>, host: String, port: Int, limits: ServiceLimits,
                      logger: Logger, fastPath: MeasuresFastPath?) -> some ApplicationProtocol {
    let connections = ConnectionCount()
    // Made for each connection: the guard first, so that it sees every request and answer.
    @Sendable func handlers() -> [any RemovableChannelHandler] {
        let guarding = ConnectionGuard(headerTimeout: limits.headerTimeout, keepAliveTimeout: limits.idleTimeout,
                                       maxConnections: limits.maxConnections, connections: connections)
        guard let fastPath else { return [guarding] }
        return [guarding, fastPath.handler()]
    }
    let http1 = HTTP1Channel.Configuration(
        additionalChannelHandlers: handlers(),
        // The idle timeout is the guard's: Hummingbird's own would not see the look-ups that the
        // fast path answers before its handler, and would close a busy connection as idle.
        idleTimeout: nil)
    return Application(router: router, server: .http1(configuration: http1),
                       configuration: .init(address: .hostname(host, port: port), serverName: serverName),
                       logger: logger)
}

/// The router alone (tests drive it with or without a socket).
public func buildRouter(operations: CreditOperations, tokens: TokenStore, limits: ServiceLimits = ServiceLimits(),
                        publicRateLimit: RateLimit = .default,
                        sessions: SessionStore = SessionStore(), metrics: ServiceMetrics = ServiceMetrics(),
                        logger: Logger = Logger(label: "credit.service")) -> Router<ServiceContext> {
    buildRouter(parts: ServiceParts(operations: operations, metrics: metrics), tokens: tokens, limits: limits,
                publicRateLimit: publicRateLimit, sessions: sessions, metrics: metrics, logger: logger)
}

/// What the router and the event loop's measures look-ups share: the use-cases (reporting
/// metrics), the route metrics and the look-up batcher.
struct ServiceParts: Sendable {
    let operations: CreditOperations
    let routes: RouteMetrics
    let batcher: LookupBatcher

    init(operations: CreditOperations, metrics: ServiceMetrics) {
        self.operations = operations.reportingMetrics(to: metrics.operations)
        routes = RouteMetrics(factory: metrics.factory)
        batcher = LookupBatcher(operations: self.operations, pool: ServicePools.shared.lookups)
    }

    func fastPath(tokens: TokenStore, limits: ServiceLimits, logger: Logger) -> MeasuresFastPath {
        MeasuresFastPath(operations: operations, tokens: tokens, batcher: batcher, pool: ServicePools.shared.lookups, routes: routes,
                         logger: logger, requestTimeout: limits.requestTimeout, serverName: serverName)
    }
}

func buildRouter(parts: ServiceParts, tokens: TokenStore, limits: ServiceLimits, publicRateLimit: RateLimit,
                 sessions: SessionStore, metrics: ServiceMetrics, logger: Logger) -> Router<ServiceContext> {
    // Writing into a pipe whose reader has gone must fail with EPIPE, not kill the process.
    signal(SIGPIPE, SIG_IGN)
    let operations = parts.operations
    let router = Router(context: ServiceContext.self)
    router.add(middleware: MetricsMiddleware(routes: parts.routes))
    router.add(middleware: RequestLogger(logger: logger, authenticated: false))
    router.add(middleware: ErrorMiddleware(logger: logger))
    router.add(middleware: LimitsMiddleware(limits: limits))
    router.get("health") { _, _ in "ok" }
    router.get("/") { _, _ in try OfficerPage.response() }
    router.get("openapi.json") { _, _ in try StaticResource.response("openapi.json", type: "application/json") }
    let pools = ServicePools.shared
    PublicController(operations: operations, pool: pools.lookups, limit: publicRateLimit, logger: logger).add(to: router)
    _ = try? StaticResource.response("openapi.json", type: "application/json")   // load the resources now, not on a request
    SessionController(tokens: tokens, sessions: sessions, pool: pools.lookups).add(to: router)
    MetricsController(metrics: metrics, authenticator: CallerAuthenticator(tokens: tokens, sessions: sessions, pool: pools.lookups)).add(to: router)
    let v1 = router.group("v1").add(middleware: CallerAuthenticator(tokens: tokens, sessions: sessions, pool: pools.lookups))
        .add(middleware: RequestLogger(logger: logger, authenticated: true, problems: ErrorMiddleware(logger: logger)))
    v1.addRoutes(SubjectsController(operations: operations, pool: pools.lookups,
                                    audit: AuditBatcher(operations: operations, pool: pools.lookups),
                                    measuresBatcher: parts.batcher).endpoints)
    v1.addRoutes(CheckController(operations: operations, pools: pools, maxConcurrent: limits.maxConcurrentChecks).endpoints)
    v1.addRoutes(RulesController(operations: operations, pool: pools.lookups).endpoints)
    v1.addRoutes(FeedbackController(operations: operations, pool: pools.lookups).endpoints)
    return router
}

/// The service's blocking pools: look-ups (one thread a core, plus two for the audit commit),
/// batch checks (one at a time, niced, so an upload never starves look-ups) and the pipes that
/// stream uploads through the checker (two threads per upload in flight).
struct ServicePools: Sendable {
    /// One set per process: threads are a process resource, shared by every router built in it.
    static let shared = ServicePools()

    let lookups = BlockingPool(threads: ProcessInfo.processInfo.activeProcessorCount + 2)
    let batches = BlockingPool(threads: 1, niceness: 10)
    let io = BlockingPool(threads: 8)
}

/// Files shipped in the target's resources, read once (never from disk on a request's path).
enum StaticResource {
    private static let files: [String: ByteBuffer] = {
        var files: [String: ByteBuffer] = [:]
        for name in ["officer.html", "openapi.json"] {
            if let url = Bundle.module.url(forResource: "Resources/\(name)", withExtension: nil),
               let data = try? Data(contentsOf: url) { files[name] = ByteBuffer(bytes: data) }
        }
        return files
    }()

    static func response(_ name: String, type: String) throws -> Response {
        guard let body = files[name] else { throw HTTPError(.notFound, message: "\(name) is missing from the service's resources") }
        return Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: body))
    }
}
