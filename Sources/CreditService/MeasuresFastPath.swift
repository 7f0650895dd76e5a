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

/// One connection's part of ``MeasuresFastPath``, in the HTTP pipeline after decoding and before
/// Hummingbird's request handling. Answers keep the requests' order: while a look-up is answered
/// here, later requests wait; a look-up arriving while the router still answers an earlier
/// request waits for that answer's end. A graceful shutdown's quiesce event waits for the
/// look-up in flight.
final class MeasuresFastPathHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private struct InFlight {
        var serial: UInt64
        var lookup: MeasuresFastPath.Lookup
        var started: ContinuousClock.Instant
        var startedNanos: UInt64
        var deadline: UInt64
        var caller: Caller?
    }
    private enum Reading { case none, router, fast(MeasuresFastPath.Lookup, ContinuousClock.Instant, UInt64) }

    private let path: MeasuresFastPath
    private var reading = Reading.none
    private var inFlight: InFlight?
    /// Requests passed to the router whose answer has not ended.
    private var routerOpen = 0
    private var queued = CircularBuffer<HTTPRequestPart>()
    private var readHeld = false
    private var quiescing = false
    private var quiesceHeld = false
    private var serial: UInt64 = 0

    init(path: MeasuresFastPath) { self.path = path }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if inFlight != nil || !queued.isEmpty || !process(context, part) { queued.append(part) }
    }

    func read(context: ChannelHandlerContext) {
        if inFlight != nil || !queued.isEmpty { readHeld = true } else { context.read() }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        context.write(data, promise: promise)
        if case .end = unwrapOutboundIn(data), routerOpen > 0 {
            routerOpen -= 1
            if routerOpen == 0 { drain(context) }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            quiescing = true
            if inFlight != nil || !queued.isEmpty { quiesceHeld = true; return }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        forget()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { forget() }

    /// Handles `part` now; false when it must wait (a look-up behind a router's answer).
    private func process(_ context: ChannelHandlerContext, _ part: HTTPRequestPart) -> Bool {
        switch part {
        case .head(let head):
            if !quiescing, let lookup = path.recognise(head) {
                if routerOpen > 0 { return false }
                reading = .fast(lookup, .now, DispatchTime.now().uptimeNanoseconds)
            } else {
                reading = .router
                routerOpen += 1
                context.fireChannelRead(wrapInboundOut(part))
            }
        case .body:
            if case .router = reading { context.fireChannelRead(wrapInboundOut(part)) }
        case .end:
            switch reading {
            case .router: context.fireChannelRead(wrapInboundOut(part))
            case .fast(let lookup, let started, let nanos): start(context, lookup, started: started, startedNanos: nanos)
            case .none: break
            }
            reading = .none
        }
        return true
    }

    private func start(_ context: ChannelHandlerContext, _ lookup: MeasuresFastPath.Lookup, started: ContinuousClock.Instant, startedNanos: UInt64) {
        serial += 1
        let serial = self.serial
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let loop = context.eventLoop
        let deadline = RequestDeadlines.shared.add(path.requestTimeout) {
            loop.execute { bound.value.0.timedOut(bound.value.1, serial) }
        }
        inFlight = InFlight(serial: serial, lookup: lookup, started: started, startedNanos: startedNanos, deadline: deadline)
        let cached = path.start(lookup) { caller, result in
            if loop.inEventLoop {
                bound.value.0.finish(bound.value.1, serial, caller, result)
            } else {
                loop.execute { bound.value.0.finish(bound.value.1, serial, caller, result) }
            }
        }
        if inFlight?.serial == serial { inFlight?.caller = cached }   // for a timeout's log line
    }

    private func timedOut(_ context: ChannelHandlerContext, _ serial: UInt64) {
        guard let current = inFlight, current.serial == serial else { return }
        let problem = Problem(.serviceUnavailable, code: "timeout", detail: "\(current.lookup.rawPath) was not answered within \(path.requestTimeout)",
                              headers: [.retryAfter: "1"])
        finish(context, serial, current.caller, .failure(problem))
    }

    private func finish(_ context: ChannelHandlerContext, _ serial: UInt64, _ caller: Caller?, _ result: Result<LookupBatcher.Answer, any Error>) {
        guard let current = inFlight, current.serial == serial else { return }   // answered already (timed out)
        inFlight = nil
        RequestDeadlines.shared.remove(current.deadline)
        let (head, body, failure) = path.response(current.lookup, result)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        path.record(current.lookup, status: Int(head.status.code), caller: caller ?? current.caller, started: current.started,
                    startedNanos: current.startedNanos, error: failure)
        drain(context)
    }

    /// Handles the requests that waited, until one must wait again.
    private func drain(_ context: ChannelHandlerContext) {
        // Taken off before it is handled: a look-up answered at once drains again from inside.
        var handled = false
        while inFlight == nil, let part = queued.popFirst() {
            if !process(context, part) { queued.prepend(part); break }
            handled = true
        }
        // The async bridge delivers what it was given at the end of a read.
        if handled { context.fireChannelReadComplete() }
        guard inFlight == nil, queued.isEmpty else { return }
        if quiesceHeld { quiesceHeld = false; context.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent()) }
        if readHeld { readHeld = false; context.read() }
    }

    private func forget() {
        if let current = inFlight { RequestDeadlines.shared.remove(current.deadline) }
        inFlight = nil
        queued.removeAll()
    }
}
