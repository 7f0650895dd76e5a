import CreditOperations
import CreditRegistry
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes

/// Answers `GET /v1/subjects/{id}/measures` with a bearer token from the event loop, without
/// Swift's cooperative pool: the connection's ``MeasuresFastPathHandler`` recognises the request,
/// hands the authentication (when the token is not cached), the probe and the audit entry to the
/// look-up pool (``LookupBatcher``, the router's own) and writes the answer from the event loop.
///
/// The answer is the router's: the same request (``MeasuresAnswer``), JSON, problem documents
/// (``ErrorMiddleware``'s mapping), headers (`Content-Type`, `Content-Length`, `Date`, `Server`),
/// request log line (``RequestLogger``), metrics (``RouteMetrics``), request timeout and audit
/// entry. Anything else — another route or method, a session cookie, a body, a `Connection`
/// header other than `keep-alive`, an identifier with characters other than letters and digits — goes on to the router
/// unchanged.
final class MeasuresFastPath: Sendable {
    let operations: CreditOperations
    let tokens: TokenStore
    let batcher: LookupBatcher
    let pool: BlockingPool
    let routes: RouteMetrics
    let logger: Logger
    let problems: ErrorMiddleware
    let requestTimeout: Duration
    let serverName: String?
    private let count = LockedBox(0)

    init(operations: CreditOperations, tokens: TokenStore, batcher: LookupBatcher, pool: BlockingPool, routes: RouteMetrics,
         logger: Logger, requestTimeout: Duration, serverName: String?) {
        self.operations = operations; self.tokens = tokens; self.batcher = batcher; self.pool = pool
        self.routes = routes; self.logger = logger; self.problems = ErrorMiddleware(logger: logger)
        self.requestTimeout = requestTimeout; self.serverName = serverName
    }

    /// Requests answered on the fast path so far (tests tell the two paths apart by it).
    var answered: Int { count.value }

    /// A handler for one connection.
    func handler() -> MeasuresFastPathHandler { MeasuresFastPathHandler(path: self) }

    /// A look-up this path answers, read from its head.
    struct Lookup {
        var method: HTTPRequest.Method
        var rawPath: String
        var uri: URI
        var id: String
        var token: String
    }

    /// The look-up `head` asks for, or nil when the router must answer it.
    func recognise(_ head: HTTPRequest) -> Lookup? {
        guard head.method == .get, let target = head.path, target.hasPrefix("/v1/subjects/"),
              let authorization = head.headerFields[.authorization],
              head.headerFields[.contentLength] ?? "0" == "0", head.headerFields[.transferEncoding] == nil,
              head.headerFields[.connection].map({ $0.lowercased() == "keep-alive" }) ?? true else { return nil }
        let uri = URI(target)
        let segments = uri.path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        guard segments.count == 5, segments[0].isEmpty, segments[4].elementsEqual("measures".utf8),
              !segments[3].isEmpty, segments[3].allSatisfy(Self.isLetterOrDigit),
              let token = CallerAuthenticator.bearerToken(authorization) else { return nil }
        return Lookup(method: head.method, rawPath: uri.path, uri: uri, id: String(decoding: segments[3], as: UTF8.self), token: token)
    }

    private static func isLetterOrDigit(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }

    /// Authenticates `lookup` and starts it; `done` gets the answer or the error, on a pool thread
    /// or (when nothing needed the pool) at once, with the caller for the log line. Returns the
    /// caller when the token's account was cached.
    @discardableResult
    func start(_ lookup: Lookup, done: @escaping @Sendable (Caller?, Result<LookupBatcher.Answer, any Error>) -> Void) -> Caller? {
        let digest = AccessToken.digest(lookup.token)
        if let known = tokens.cachedCaller(digest: digest) {
            enqueue(lookup, caller: known, done: done)
            return known
        } else {
            let tokens = self.tokens
            pool.submit {
                do { self.enqueue(lookup, caller: try tokens.caller(digest: digest), done: done) } catch { done(nil, .failure(error)) }
            }
            return nil
        }
    }

    private func enqueue(_ lookup: Lookup, caller: Caller?, done: @escaping @Sendable (Caller?, Result<LookupBatcher.Answer, any Error>) -> Void) {
        guard let caller else { done(nil, .failure(CallerAuthenticator.invalidToken)); return }
        do {
            let request = try MeasuresAnswer.request(id: lookup.id, uri: lookup.uri, caller: caller, operations: operations)
            batcher.lookUp(request) { done(caller, $0) }
        } catch {
            done(caller, .failure(error))
        }
    }

    /// The response to `lookup` for `result`: status, fields (with `Date` and `Server`, as the
    /// server adds them to the router's answers) and body. Errors become problem documents.
    func response(_ lookup: Lookup, _ result: Result<LookupBatcher.Answer, any Error>) -> (HTTPResponse, ByteBuffer, (any Error)?) {
        var fields: HTTPFields
        let status: HTTPResponse.Status
        let body: ByteBuffer
        var failure: (any Error)?
        do {
            body = try MeasuresAnswer.body(try result.get(), id: lookup.id)
            fields = MeasuresAnswer.jsonFields
            status = .ok
        } catch {
            let problem = problems.problem(for: error, path: lookup.rawPath)
            fields = problem.headers
            fields[.contentType] = "application/problem+json; charset=utf-8"
            status = problem.status
            body = ByteBuffer(string: problem.body)
            failure = problem
        }
        fields[.contentLength] = String(body.readableBytes)
        fields[.date] = HTTPDate.now
        if let serverName { fields[.server] = serverName }
        return (HTTPResponse(status: status, headerFields: fields), body, failure)
    }

    /// The request's log line and metrics, as the router's middlewares write them.
    func record(_ lookup: Lookup, status: Int, caller: Caller?, started: ContinuousClock.Instant, startedNanos: UInt64, error: (any Error)?) {
        count.withValue { $0 += 1 }
        routes.record(lookup.method, MeasuresAnswer.route, status: status, since: startedNanos)
        RequestLogger.write(logger, method: lookup.method, template: { MeasuresAnswer.template }, status: status,
                            started: started, caller: caller, error: error)
    }
}
