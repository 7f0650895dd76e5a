import CreditOperations
import CreditQuery
import CreditRegistry
import Foundation
import Hummingbird
import Logging

/// The public query: anyone, without an account, may read a market entity's public credit
/// information as of today (``CreditOperations/publicRecord(_:)``, the definition the open-data
/// publication uses too). Rate-limited per client address.
///
/// - `GET /public/` — the public page (Chinese, no external resources).
/// - `GET /public/v1/subjects/{code}` — the public record, or a 404 problem.
/// - `GET /public/v1/search?q=&limit=` — entities by part of a name (identity only).
///
/// Look-ups are logged (outcome and latency, never the query, which may be a person's name or
/// ID number) but not audited: nothing in them is personal or restricted.
struct PublicController {
    let operations: CreditOperations
    let pool: BlockingPool
    let limiter: RateLimiter
    let logger: Logger

    init(operations: CreditOperations, pool: BlockingPool, limit: RateLimit, logger: Logger) {
        self.operations = operations; self.pool = pool; self.limiter = RateLimiter(limit: limit); self.logger = logger
    }

    /// Adds the page and the rate-limited API to `router`.
    func add(to router: Router<ServiceContext>) {
        // One route answers both `/public` and `/public/`.
        router.get("public") { _, _ in try PublicPage.response() }
        router.group("public/v1").add(middleware: RateLimitMiddleware(limiter: limiter))
            .get("subjects/:code", use: subject)
            .get("search", use: search)
    }

    @Sendable func subject(_ request: Request, context: ServiceContext) async throws -> Response {
        let code = try context.parameters.require("code")
        guard code.count <= 64 else { throw Problem(.badRequest, code: "bad_identifier", detail: "an identifier has at most 64 characters") }
        let operations = self.operations
        let started = ContinuousClock.now
        let record = try await run { try operations.publicRecord(code) }
        logger.info("public lookup", metadata: ["found": "\(record != nil)", "micros": "\(Self.micros(since: started))"])
        guard let record else {
            throw Problem(.notFound, code: "not_found", detail: "no market entity with this identifier (natural persons are not public)")
        }
        return try JSONBody.response(record)
    }

    @Sendable func search(_ request: Request, context: ServiceContext) async throws -> Response {
        let q = (request.uri.queryParameters.get("q") ?? "").trimmingCharacters(in: .whitespaces)
        guard !q.isEmpty else { throw Problem(.badRequest, code: "missing_query", detail: "q (part of a name, or a code) is required") }
        guard q.count <= 100 else { throw Problem(.badRequest, code: "query_too_long", detail: "q has at most 100 characters") }
        let limitText = request.uri.queryParameters.get("limit")
        let limit = limitText.flatMap { Int($0) } ?? 20
        guard (1...50).contains(limit) else { throw Problem(.badRequest, code: "bad_limit", detail: "limit is a whole number from 1 to 50") }
        let operations = self.operations
        let started = ContinuousClock.now
        let hits = try await run { try operations.publicSearch(q, limit: limit) }
        logger.info("public search", metadata: ["hits": "\(hits.count)", "micros": "\(Self.micros(since: started))"])
        return try JSONBody.response(hits)
    }

    /// Runs a use-case on the look-up pool; a missing rule set is a 503 problem.
    private func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        do {
            return try await pool.run(body)
        } catch let e as OperationError where e == .noActiveRuleSet {
            throw Problem(.serviceUnavailable, code: "no_active_rules", detail: "public information is unavailable: no rule set decides the publicity periods")
        } catch let e as PublicDefinitionError {
            throw Problem(.serviceUnavailable, code: "no_publicity_rule", detail: e.description)
        }
    }

    private static func micros(since started: ContinuousClock.Instant) -> Int64 {
        let d = ContinuousClock.now - started
        return d.components.seconds * 1_000_000 + d.components.attoseconds / 1_000_000_000_000
    }
}

/// The public page, read once from the target's resources.
enum PublicPage {
    private static let body: ByteBuffer? = Bundle.module.url(forResource: "Resources/public.html", withExtension: nil)
        .flatMap { try? Data(contentsOf: $0) }.map { ByteBuffer(bytes: $0) }

    static func response() throws -> Response {
        guard let body else { throw Problem(.internalServerError, code: "resource_missing", detail: "public.html is missing from the service's resources") }
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: body))
    }
}
