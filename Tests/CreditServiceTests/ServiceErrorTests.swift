import CreditTestSupport
import CreditOperations
import CreditRegistry
import Foundation
import Hummingbird
import HummingbirdTesting
import InMemoryLogging
import Logging
import Testing
@testable import CreditService

/// Every failure a caller sees is a problem document with a code, and a line in the server's
/// log: a busy audit log is 503 `busy` with Retry-After, an unexpected error 500 `internal`
/// with an error id, a refusal its own status and code.
@Suite struct ServiceErrorTests {
    static let officer = "officer-token-0123456789"
    static let company = "91350200MA2XH1K70Y"
    let scratch: TemporaryDirectory
    let path: String
    let tokens = TokenStore(tokens: [ServiceErrorTests.officer: Caller(name: "officer-07", role: .officer, department: "sat")])
    let logs = InMemoryLogHandler()

    init() throws {
        scratch = try TemporaryDirectory("service-errors")
        path = scratch.path("credit.db")
        let ops = try CreditOperations.open(path: path, clock: .fixed(try Day("2025-07-10")))
        _ = try ops.ingestFeed(path: ServiceTests.root.appendingPathComponent("samples/feeds/commerce-0001-full.xml").path)
        try ops.recordAudit([.init(actor: "test", action: "setup", subject: nil, detail: "the audit log exists")])
    }

    /// A server over the registry whose writes to the audit log wait at most 0.2 s.
    func app() throws -> some ApplicationProtocol {
        let ops = try CreditOperations.open(path: path, busyTimeout: 0.2, clock: .fixed(try Day("2025-07-10")))
        var logger = Logger(label: "test") { _ in logs }
        logger.logLevel = .info
        return buildApplication(operations: ops, tokens: tokens, host: "127.0.0.1", port: 0, logger: logger)
    }

    func get(_ client: some TestClientProtocol, _ uri: String) async throws -> (status: Int, headers: HTTPFields, body: [String: Any]) {
        try await client.execute(uri: uri, method: .get, headers: [.authorization: "Bearer \(Self.officer)"]) { r in
            #expect(r.headers[.contentType] == "application/problem+json; charset=utf-8", "\(uri)")
            let body = try JSONSerialization.jsonObject(with: Data(String(buffer: r.body).utf8)) as? [String: Any] ?? [:]
            return (Int(r.status.code), r.headers, body)
        }
    }

    @Test func aLookUpWhileAnotherProcessHoldsTheAuditLogIs503BusyWithRetryAfter() async throws {
        let lock = try HeldWriteLock(AuditFiles(beside: path).database)
        defer { try? lock.release() }
        try await app().test(.live) { client in
            for uri in ["/v1/subjects/\(Self.company)/measures", "/v1/subjects/\(Self.company)", "/v1/search?q=%E5%8D%8E%E5%85%B4"] {
                let r = try await get(client, uri)
                #expect(r.status == 503, "\(uri)")
                #expect(r.body["code"] as? String == "busy")
                #expect((r.body["detail"] as? String)?.contains("the audit log is locked by another writer") == true)
                #expect(r.headers[.retryAfter] == "\(ErrorMiddleware.retryAfter)")
            }
        }
        #expect(logs.entries.filter { $0.message.description == "database busy" && $0.level == .warning }.count == 3)
    }

    @Test func anUnexpectedErrorIs500InternalWithAnErrorIDInTheLog() async throws {
        try RawSQLite.execute(path, "UPDATE subject SET status_since = 'not-a-day' WHERE code = '\(Self.company)'")
        try await app().test(.live) { client in
            let r = try await get(client, "/v1/subjects/\(Self.company)?as_of=2025-07-10")
            #expect(r.status == 500)
            #expect(r.body["code"] as? String == "internal")
            let detail = try #require(r.body["detail"] as? String)
            #expect(!detail.contains("not-a-day"), "the caller does not see stored values")
            let logged = try #require(logs.entries.first { $0.message.description == "internal error" })
            #expect(logged.level == .error)
            #expect(detail.contains("\(logged.metadata["error_id"] ?? "?")"))
            #expect("\(logged.metadata["error"] ?? "")".contains("not-a-day"))
        }
    }

    @Test func refusalsAreProblemsWithTheirOwnCodes() async throws {
        try await app().test(.live) { client in
            let cases: [(uri: String, status: Int, code: String)] = [
                ("/v1/subjects/91350100M000100Y43", 404, "not_found"),
                ("/v1/subjects/\(Self.company)?as_of=2024-13-01", 400, "bad_request"),
                ("/v1/search", 400, "bad_request"),
                ("/v1/no-such-route", 404, "not_found"),
            ]
            for c in cases {
                let r = try await get(client, c.uri)
                #expect(r.status == c.status && !((r.body["code"] as? String) ?? "").isEmpty, "\(c.uri): \(r.body)")
            }
            let unauthenticated = try await client.execute(uri: "/v1/subjects/\(Self.company)", method: .get) { r in
                (Int(r.status.code), String(buffer: r.body))
            }
            #expect(unauthenticated.0 == 401 && unauthenticated.1.contains("\"code\":"))
        }
    }
}
