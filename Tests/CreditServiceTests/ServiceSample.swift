import HummingbirdTesting
import CreditOperations
import CreditRegistry
import CreditTestSupport
import Foundation
import Hummingbird
import NationalBridge
import Testing
@testable import CreditService

/// The registry the service tests run on, on one backend: the sample feeds, the national list
/// of dishonest debtors, the shipped rules and three accounts (officer, bank, operator), on
/// 2025-07-10.
struct ServiceSample {
    let scratch: TemporaryDirectory
    let operations: CreditOperations
    /// The registry's accounts, read on every request (no cache), as `serve` reads them.
    var tokens: TokenStore { TokenStore(accounts: operations, ttl: .zero) }

    init(_ backend: TestBackend) throws {
        scratch = try TemporaryDirectory("service")
        operations = try backend.operations(in: scratch, today: try Day("2025-07-10"))
        for f in ["feeds/commerce-0001-full.xml", "feeds/commerce-0002-delta.xml", "feeds/food-0001-full.xml", "feeds/tax-0001-full.xml"] {
            _ = try operations.ingestFeed(path: ServiceTests.root.appendingPathComponent("samples/\(f)").path)
        }
        _ = try NationalBridge(operations: operations).importDishonestDebtors(path: ServiceTests.root.appendingPathComponent("samples/national/dishonest-debtors.csv").path)
        _ = try operations.activateRules(paths: [ServiceTests.root.appendingPathComponent("rules").path], author: "test")
        let file = scratch.path("tokens.json")
        try Data("""
            [{"token": "\(ServiceTests.officer)", "name": "officer-07", "role": "officer", "department": "sat"},
             {"token": "\(ServiceTests.bank)", "name": "bank-3", "role": "bank"},
             {"token": "\(ServiceTests.operatorToken)", "name": "op-1", "role": "operator"}]
            """.utf8).write(to: URL(fileURLWithPath: file))
        chmod(file, 0o600)
        _ = try operations.importAccounts(try TokenFile(path: file), actor: "test")
    }

    /// The app as `serve` builds it (sessions shared through the database on PostgreSQL).
    func app(limits: ServiceLimits = ServiceLimits()) -> some ApplicationProtocol {
        buildApplication(operations: operations, tokens: tokens, host: "127.0.0.1", port: 0, limits: limits,
                         sessions: SessionStore(keeper: operations.sessionStore))
    }

    /// The latest audit entries (about `subject`'s code when given), newest last, wherever the log is.
    func auditEntries(subject: String? = nil, limit: Int = 1000) throws -> [AuditLog.Entry] {
        try operations.auditTrail.entries(subject: subject, limit: limit)
    }
}

/// Calls on a live test server, shared by the service suites.
protocol LiveServiceCalls {}

extension LiveServiceCalls {
    func get(_ client: some TestClientProtocol, _ uri: String, token: String?) async throws -> (status: Int, body: String) {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: uri, method: .get, headers: headers) { r in (Int(r.status.code), String(buffer: r.body)) }
    }

    func post(_ client: some TestClientProtocol, _ uri: String, token: String, body: String) async throws -> (status: Int, body: String) {
        try await client.execute(uri: uri, method: .post, headers: [.authorization: "Bearer \(token)"], body: ByteBuffer(string: body)) {
            (Int($0.status.code), String(buffer: $0.body))
        }
    }

    func json(_ body: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
    }

    func problemCode(_ body: String) -> String? { json(body)["code"] as? String }

    func scrape(_ client: some TestClientProtocol, token: String? = ServiceTests.operatorToken) async throws -> (status: Int, type: String?, body: String) {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: "/metrics", method: .get, headers: headers) {
            (Int($0.status.code), $0.headers[.contentType], String(buffer: $0.body))
        }
    }

    /// The raw answer to one request on a connection of its own, its `Date` value blanked.
    func rawAnswer(port: Int, _ target: String, token: String?) async throws -> String {
        let connection = try RawConnection(port: port)
        connection.send("GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n" + (token.map { "Authorization: Bearer \($0)\r\n" } ?? "") + "\r\n")
        let answer = try #require(await connection.read(untilComplete: true))
        return answer.replacing(/date: [^\r]*\r\n/.ignoresCase(), with: "date: -\r\n")
    }
}

/// The service suites whose subject is the server itself (its hot path, limits, metrics, logs,
/// sessions, OpenAPI document, browser page) rather than what the registry answers: they run
/// over the samples' registry on SQLite, the backend-independent part of the service.
@Suite struct ServiceOnSQLiteTests: LiveServiceCalls {
    static let root = ServiceTests.root
    static let officer = ServiceTests.officer
    static let bank = ServiceTests.bank
    static let operatorToken = ServiceTests.operatorToken

    let sample: ServiceSample
    var scratch: TemporaryDirectory { sample.scratch }
    var operations: CreditOperations { sample.operations }
    var registry: Registry { operations.registry }
    var tokens: TokenStore { sample.tokens }

    init() throws { sample = try ServiceSample(.sqlite) }

    func app() -> some ApplicationProtocol { sample.app() }
}
