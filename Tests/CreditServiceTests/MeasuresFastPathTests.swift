import CreditTestSupport
import CreditOperations
import CreditRegistry
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
@testable import CreditService

/// `GET /v1/subjects/{id}/measures` answered from the event loop (``MeasuresFastPath``): the same
/// answer, log line, metrics, limits and audit entry as the router's, on a live server — the
/// answers on SQLite and on PostgreSQL.
extension ServiceSample {
    /// A server whose fast path the test can watch (`answered`), or without it (`fast: false`).
    func fastPathApp(fast: Bool = true, limits: ServiceLimits = ServiceLimits(), metrics: ServiceMetrics = ServiceMetrics(),
                     logger: Logger = Logger(label: "test.service"), tokens: TokenStore? = nil) -> (some ApplicationProtocol, MeasuresFastPath?) {
        let tokens = tokens ?? self.tokens
        let parts = ServiceParts(operations: operations, metrics: metrics)
        let router = buildRouter(parts: parts, tokens: tokens, limits: limits, publicRateLimit: .default, sessions: SessionStore(),
                                 metrics: metrics, logger: logger)
        let path = fast ? parts.fastPath(tokens: tokens, limits: limits, logger: logger) : nil
        return (buildApplication(router: router, host: "127.0.0.1", port: 0, limits: limits, logger: logger, fastPath: path), path)
    }
}

extension ServiceOnSQLiteTests {
    func fastPathApp(fast: Bool = true, limits: ServiceLimits = ServiceLimits(), metrics: ServiceMetrics = ServiceMetrics(),
                     logger: Logger = Logger(label: "test.service"), tokens: TokenStore? = nil) -> (some ApplicationProtocol, MeasuresFastPath?) {
        sample.fastPathApp(fast: fast, limits: limits, metrics: metrics, logger: logger, tokens: tokens)
    }
}

extension ServiceTests {
    static let fastPathRequests: [(String, String?)] = [
        ("/v1/subjects/91350200MA2XH1K70Y/measures", officer),                       // 200, a company
        ("/v1/subjects/350221197203140316/measures?unmask=true", officer),           // 200, a person unmasked
        ("/v1/subjects/350221197203140316/measures", operatorToken),                 // 403, a role that may not look up
        ("/v1/subjects/91350200MA2XH1K70Y/measures?as_of=2024-06-01", officer),     // 200, another day
        ("/v1/subjects/91350100M000100Y43/measures", officer),                       // 404 problem
        ("/v1/subjects/91350200MA2XH1K70Y/measures?as_of=2024-13-01", officer),     // 400 problem
        ("/v1/subjects/350221197203140316/measures?unmask=true", bank),              // 403 problem
        ("/v1/subjects/91350200MA2XH1K70Y/measures", "wrong-token-0123456789"),      // 401 problem
    ]

    @Test(arguments: TestBackend.allCases) func theFastPathsAnswerIsTheRoutersByteForByteHeadersIncluded(_ backend: TestBackend) async throws {
        let s = try ServiceSample(backend)
        let (router, none) = s.fastPathApp(fast: false)
        #expect(none == nil)
        let routed = try await router.test(.live) { client in
            var routed: [String] = []
            for (target, token) in Self.fastPathRequests { routed.append(try await rawAnswer(port: client.port!, target, token: token)) }
            return routed
        }
        let (app, fast) = s.fastPathApp()
        let path = try #require(fast)
        try await app.test(.live) { client in
            for ((target, token), expected) in zip(Self.fastPathRequests, routed) {
                let answer = try await rawAnswer(port: client.port!, target, token: token)
                #expect(answer == expected, "\(target)")
            }
        }
        #expect(path.answered == Self.fastPathRequests.count, "every one answered on the fast path")
        let statuses = routed.map { $0.split(separator: " ")[1] }
        #expect(statuses == ["200", "200", "403", "200", "404", "400", "403", "401"], "\(statuses)")
        #expect(routed[0].contains("Content-Type: application/json; charset=utf-8\r\nContent-Length: ") && routed[0].contains("Server: creditctl\r\n"))
        #expect(routed[7].contains("WWW-Authenticate: Bearer error=\"invalid_token\""))
    }

    @Test(arguments: TestBackend.allCases) func aFastLookUpHasItsLogLineMetricsAndAuditEntry(_ backend: TestBackend) async throws {
        let s = try ServiceSample(backend)
        let lines = LockedBox([String]())
        let logger = Logger(label: "test.service") { _ in CapturingLogHandler(lines: lines) }
        let metrics = ServiceMetrics()
        let before = try s.auditEntries(subject: "91350200MA2XH1K70Y").filter { $0.action == "lookup" }.count
        let (app, fast) = s.fastPathApp(metrics: metrics, logger: logger)
        try await app.test(.live) { client in
            #expect(try await get(client, "/v1/subjects/91350200MA2XH1K70Y/measures", token: Self.officer).status == 200)
            #expect(try await get(client, "/v1/subjects/91350100M000100Y43/measures", token: Self.officer).status == 404)
            let text = try PrometheusText(try await scrape(client).body)
            #expect(text.value("credit_http_requests_total", ["method": "GET", "route": "/v1/subjects/{id}/measures", "status": "2xx"]) == 1)
            #expect(text.value("credit_http_requests_total", ["method": "GET", "route": "/v1/subjects/{id}/measures", "status": "4xx"]) == 1)
        }
        #expect(fast?.answered == 2)
        let requests = lines.value.filter { $0.hasPrefix("request") && $0.contains("path=/v1/subjects/{id}/measures") }
        #expect(requests.count == 2, "\(requests)")
        #expect(requests.contains { $0.contains("caller=officer-07") && $0.contains("role=officer") && $0.contains("status=200")
            && $0.contains("method=GET") && $0.contains("micros=") }, "\(requests)")
        #expect(requests.contains { $0.contains("caller=officer-07") && $0.contains("status=404") }, "\(requests)")
        let entries = try s.auditEntries(subject: "91350200MA2XH1K70Y").filter { $0.action == "lookup" }
        #expect(entries.count == before + 1)
        #expect(entries.last?.actor == "api:officer-07")
        #expect(try s.operations.verifyAudit().isIntact)
    }

    @Test(arguments: TestBackend.allCases) func aRevokedTokenIsRefusedOnTheFastPathAtOnce(_ backend: TestBackend) async throws {
        let s = try ServiceSample(backend)
        let (app, fast) = s.fastPathApp()
        try await app.test(.live) { client in
            #expect(try await get(client, "/v1/subjects/91350200MA2XH1K70Y/measures", token: Self.officer).status == 200)
            try s.operations.revokeAccount(named: "officer-07", actor: "test")
            let refused = try await get(client, "/v1/subjects/91350200MA2XH1K70Y/measures", token: Self.officer)
            #expect(refused.status == 401 && problemCode(refused.body) == "unauthenticated", "\(refused.body)")
        }
        #expect(fast?.answered == 2)
    }

}

extension ServiceOnSQLiteTests {
    @Test func limitsStillApplyAroundTheFastPath() async throws {
        var limits = ServiceLimits()
        limits.maxOtherBody = 10
        let (app, fast) = fastPathApp(limits: limits)
        try await app.test(.live) { client in
            // A body goes to the router, which holds it to the route's limit.
            let withBody = try await client.execute(uri: "/v1/subjects/91350200MA2XH1K70Y/measures", method: .get,
                                                    headers: [.authorization: "Bearer \(Self.officer)"], body: ByteBuffer(string: String(repeating: "x", count: 100))) {
                (Int($0.status.code), String(buffer: $0.body))
            }
            #expect(withBody.0 == 413 && problemCode(withBody.1) == "body_too_large", "\(withBody.1)")
        }
        #expect(fast?.answered == 0)
    }

    /// Requests sent together on one connection are answered in order, whichever path answers each.
    @Test func pipelinedRequestsAreAnsweredInOrderAcrossBothPaths() async throws {
        let (app, fast) = fastPathApp()
        try await app.test(.live) { client in
            let connection = try RawConnection(port: client.port!)
            let auth = "Authorization: Bearer \(Self.officer)\r\n"
            connection.send("GET /v1/subjects/91350200MA2XH1K70Y/measures HTTP/1.1\r\nHost: a\r\n\(auth)\r\n"
                            + "GET /health HTTP/1.1\r\nHost: a\r\n\r\n"
                            + "GET /v1/subjects/91350100M000100Y43/measures HTTP/1.1\r\nHost: a\r\n\(auth)\r\n"
                            + "GET /v1/subjects/350221197203140316/measures HTTP/1.1\r\nHost: a\r\n\(auth)\r\n"
                            + "GET /health HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
            let answers = try #require(await connection.read())
            let statuses = answers.matches(of: /HTTP\/1\.1 (\d{3})/).map { String($0.1) }
            #expect(statuses == ["200", "200", "404", "200", "200"], "\(answers)")
            let bodies = answers.components(separatedBy: "\r\n\r\n")
            try #require(bodies.count >= 5)
            #expect(bodies[1].hasPrefix("{") && bodies[1].contains("91350200MA2XH1K70Y"))
            #expect(bodies[2].hasPrefix("ok"))
            #expect(bodies[4].contains("350221********0316"))
        }
        #expect(fast?.answered == 3)
    }

    /// Look-ups from many clients at once on the fast path: each its own answer and audit entry.
    @Test func fastLookUpsAtOnceFromManyClientsEachGetTheirOwnAnswerAndEntry() async throws {
        let codes = try registry.read { db in try String.fetchAll(db, sql: "SELECT code FROM subject WHERE kind != 'natural_person' ORDER BY code LIMIT 20") }
        try #require(codes.count >= 4)
        let before = try operations.audit.entries(subject: nil, limit: 100_000).filter { $0.action == "lookup" }.count
        let rounds = 3
        // A caching store, as `serve` has: the token is authenticated once, then on the event loop.
        let (app, fast) = fastPathApp(tokens: TokenStore(accounts: operations))
        try await app.test(.live) { client in
            try await lookUpAtOnce(client, codes: codes, rounds: rounds)
        }
        #expect(fast?.answered == rounds * codes.count)
        try expectOwnAuditEntries(codes: codes, rounds: rounds, after: before)
    }
}

extension ServiceErrorTests {
    func fastPathApp(limits: ServiceLimits = ServiceLimits(), busyTimeout: TimeInterval = 0.2) throws -> (some ApplicationProtocol, MeasuresFastPath) {
        let ops = try CreditOperations.open(path: path, busyTimeout: busyTimeout, clock: .fixed(try Day("2025-07-10")))
        var logger = Logger(label: "test") { _ in logs }
        logger.logLevel = .info
        let metrics = ServiceMetrics()
        let parts = ServiceParts(operations: ops, metrics: metrics)
        let router = buildRouter(parts: parts, tokens: tokens, limits: limits, publicRateLimit: .default, sessions: SessionStore(),
                                 metrics: metrics, logger: logger)
        let fast = parts.fastPath(tokens: tokens, limits: limits, logger: logger)
        return (buildApplication(router: router, host: "127.0.0.1", port: 0, limits: limits, logger: logger, fastPath: fast), fast)
    }

    /// A probe that fails on the fast path is a 500 problem document with its log lines.
    @Test func aFastLookUpWhoseProbeFailsIs500WithItsLogLine() async throws {
        try RawSQLite.execute(path, "UPDATE subject SET status_since = 'not-a-day' WHERE code = '\(Self.company)'")
        let (app, fast) = try fastPathApp()
        try await app.test(.live) { client in
            let r = try await get(client, "/v1/subjects/\(Self.company)/measures")
            #expect(r.status == 500 && r.body["code"] as? String == "internal")
        }
        #expect(fast.answered == 1)
        #expect(logs.entries.filter { $0.message.description == "internal error" }.count == 1)
        let request = try #require(logs.entries.first { $0.message.description == "request failed" })
        #expect("\(request.metadata["status"] ?? "")" == "500" && "\(request.metadata["path"] ?? "")" == "/v1/subjects/{id}/measures")
        #expect("\(request.metadata["caller"] ?? "")" == "officer-07")
    }

    /// A look-up still waiting for the audit log past the request timeout is answered 503
    /// `timeout` from the event loop (the audit log's own wait is far longer).
    @Test func aFastLookUpPastTheRequestTimeoutIs503Timeout() async throws {
        var limits = ServiceLimits()
        // Long enough for the second look-up on a loaded machine; the held lock makes the first
        // one outlast any deadline.
        limits.requestTimeout = .seconds(3)
        let lock = try HeldWriteLock(AuditFiles(beside: path).database)
        defer { try? lock.release() }
        let (app, fast) = try fastPathApp(limits: limits, busyTimeout: 60)
        try await app.test(.live) { client in
            let r = try await get(client, "/v1/subjects/\(Self.company)/measures")
            #expect(r.status == 503 && r.body["code"] as? String == "timeout", "\(r.body)")
            #expect(r.headers[.retryAfter] == "1")
            try lock.release()
        }
        #expect(fast.answered == 1)
        let request = try #require(logs.entries.first { $0.message.description == "request failed" })
        #expect("\(request.metadata["status"] ?? "")" == "503" && "\(request.metadata["path"] ?? "")" == "/v1/subjects/{id}/measures")
    }

    /// The router answers a request past its timeout at the deadline (503 `timeout`), though the
    /// blocking work it started waits on (up to its 30 s busy timeout here), and logs it as the
    /// caller gets it, once, not as what the route ended with after the deadline.
    @Test func aRoutedLookUpPastTheRequestTimeoutIsLoggedAs503Once() async throws {
        var limits = ServiceLimits()
        // Long enough for the second look-up on a loaded machine; the held lock makes the first
        // one outlast any deadline.
        limits.requestTimeout = .seconds(3)
        let lock = try HeldWriteLock(AuditFiles(beside: path).database)
        defer { try? lock.release() }
        // The route's own wait for the audit log outlasts the deadline: the blocking work does not
        // stop when the request is cancelled; it ends once the lock is released, before the
        // second look-up's entry (one audit writer), so a line it logged would be counted.
        let ops = try CreditOperations.open(path: path, busyTimeout: 30, clock: .fixed(try Day("2025-07-10")))
        var logger = Logger(label: "test") { _ in logs }
        logger.logLevel = .debug
        let metrics = ServiceMetrics()
        let router = buildRouter(parts: ServiceParts(operations: ops, metrics: metrics), tokens: tokens, limits: limits,
                                 publicRateLimit: .default, sessions: SessionStore(), metrics: metrics, logger: logger)
        let app = buildApplication(router: router, host: "127.0.0.1", port: 0, limits: limits, logger: logger, fastPath: nil)
        try await app.test(.live) { client in
            let r = try await get(client, "/v1/subjects/\(Self.company)")
            #expect(r.status == 503 && r.body["code"] as? String == "timeout", "\(r.body)")
            try lock.release()
            let report = try await client.execute(uri: "/v1/subjects/\(Self.company)", method: .get,
                                                  headers: [.authorization: "Bearer \(Self.officer)"]) { Int($0.status.code) }
            #expect(report == 200)
        }
        let lines = logs.entries.filter { $0.metadata["status"] != nil && "\($0.metadata["path"] ?? "")".hasPrefix("/v1/subjects/") }
        #expect(lines.count == 2, "\(lines.map { "\($0.metadata["status"] ?? "")" })")
        #expect(lines.map { "\($0.metadata["status"] ?? "")" }.sorted() == ["200", "503"])
        let failed = try #require(lines.first { $0.message.description == "request failed" })
        #expect("\(failed.metadata["status"] ?? "")" == "503" && "\(failed.metadata["error"] ?? "")".contains("timeout"))
    }
}
