import CreditOperations
import CreditRegistry
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CreditService

/// The resource limits (ServiceLimits), each on a live server: refused with a problem document
/// and a stable code, or the connection closed.
extension ServiceOnSQLiteTests {
    func app(_ limits: ServiceLimits, extraRoutes: (Router<ServiceContext>) -> Void = { _ in }) -> some ApplicationProtocol {
        let router = buildRouter(operations: operations, tokens: tokens, limits: limits)
        extraRoutes(router)
        return buildApplication(router: router, host: "127.0.0.1", port: 0, limits: limits)
    }


    @Test func aConnectionThatTricklesItsHeadIsClosed() async throws {
        var limits = ServiceLimits()
        limits.headerTimeout = .milliseconds(300)
        limits.idleTimeout = .milliseconds(300)
        try await app(limits).test(.live) { client in
            let slow = try RawConnection(port: client.port!)
            slow.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")   // never finished
            let answer = await slow.read()
            #expect(answer == "", "closed without an answer (nil would mean it was still held)")
            // A kept-alive connection idle after its answer is closed the same way.
            let idle = try RawConnection(port: client.port!)
            idle.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            let first = await idle.read(untilComplete: true)
            #expect(first?.hasPrefix("HTTP/1.1 200") == true)
            #expect(await idle.read() == "", "then closed")
        }
    }

    @Test func connectionsBeyondTheLimitAreAnswered503() async throws {
        var limits = ServiceLimits()
        limits.maxConnections = 2
        try await app(limits).test(.live) { client in
            // The test client's own connection is the first.
            // The server still answers. The 200 ms limit holds for /health too, which a machine
            // running the whole suite side by side may exceed: a few tries, each a real request.
            var health = 0
            for _ in 0..<5 where health != 200 {
                health = try await client.execute(uri: "/health", method: .get) { Int($0.status.code) }
            }
            #expect(health == 200)
            let held = try RawConnection(port: client.port!)
            held.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            let heldAnswer = await held.read(untilComplete: true)
            #expect(heldAnswer?.hasPrefix("HTTP/1.1 200") == true, "the second connection is served and kept: \(heldAnswer ?? "nil")")
            let extra = try RawConnection(port: client.port!)
            extra.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            let refused = await extra.read() ?? ""
            #expect(refused.hasPrefix("HTTP/1.1 503"), "\(refused)")
            #expect(refused.contains("application/problem+json") && refused.contains("\"code\":\"too_many_connections\""))
        }
    }

    @Test func bodiesOverTheirRoutesLimitAre413() async throws {
        var limits = ServiceLimits()
        limits.maxCheckBody = 1000
        try await app(limits).test(.live) { client in
            let auth: HTTPFields = [.authorization: "Bearer \(Self.bank)"]
            // Declared length over the limit: refused before the body is read.
            let big = String(repeating: "91350200MA2XH1K70Y\n", count: 100)
            let declared = try await client.execute(uri: "/v1/check", method: .post, headers: auth, body: ByteBuffer(string: big)) {
                (Int($0.status.code), String(buffer: $0.body))
            }
            #expect(declared.0 == 413 && problemCode(declared.1) == "body_too_large", "\(declared.1)")
            // A body on a route that takes none.
            let other = try await client.execute(uri: "/v1/rules", method: .get, headers: [.authorization: "Bearer \(Self.operatorToken)"],
                                                 body: ByteBuffer(string: String(repeating: "x", count: 20_000))) { (Int($0.status.code), String(buffer: $0.body)) }
            #expect(other.0 == 413 && problemCode(other.1) == "body_too_large")
            // Streamed without a length (chunked): counted as it arrives.
            let streamed = try RawConnection(port: client.port!)
            let chunk = String(repeating: "91350200MA2XH1K70Y\n", count: 60)
            streamed.send("POST /v1/check HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(Self.bank)\r\nTransfer-Encoding: chunked\r\n\r\n"
                          + String(chunk.utf8.count, radix: 16) + "\r\n" + chunk + "\r\n0\r\n\r\n")
            let answer = await streamed.read(untilComplete: true) ?? ""
            #expect(answer.hasPrefix("HTTP/1.1 413") && answer.contains("body_too_large"), "\(answer)")
        }
    }

    @Test func checkUploadsOfOtherTypesAre415() async throws {
        try await app(ServiceLimits()).test(.live) { client in
            for type in ["multipart/form-data; boundary=x", "application/json", "image/png"] {
                let r = try await client.execute(uri: "/v1/check", method: .post,
                                                 headers: [.authorization: "Bearer \(Self.bank)", .contentType: type],
                                                 body: ByteBuffer(string: "code\n91350200MA2XH1K70Y\n")) { (Int($0.status.code), String(buffer: $0.body)) }
                #expect(r.0 == 415 && problemCode(r.1) == "unsupported_media_type", "\(type)")
            }
            let csv = try await client.execute(uri: "/v1/check", method: .post,
                                               headers: [.authorization: "Bearer \(Self.bank)", .contentType: "text/csv; charset=utf-8"],
                                               body: ByteBuffer(string: "code\n91350200MA2XH1K70Y\n")) { Int($0.status.code) }
            #expect(csv == 200)
        }
    }

    @Test func checksBeyondTheConcurrencyLimitAre429() async throws {
        var limits = ServiceLimits()
        limits.maxConcurrentChecks = 0
        try await app(limits).test(.live) { client in
            let r = try await client.execute(uri: "/v1/check", method: .post, headers: [.authorization: "Bearer \(Self.bank)"],
                                             body: ByteBuffer(string: "code\n91350200MA2XH1K70Y\n")) { $0 }
            #expect(r.status == .tooManyRequests && problemCode(String(buffer: r.body)) == "too_many_checks")
            #expect(r.headers[.retryAfter] != nil)
        }
    }

    @Test func aRequestNotAnsweredInTimeIs503() async throws {
        var limits = ServiceLimits()
        limits.requestTimeout = .milliseconds(200)
        // A route that never answers by itself stands for a request stuck behind a busy database.
        let (stalled, _) = AsyncStream<Void>.makeStream()
        try await app(limits, extraRoutes: { router in
            router.get("stalled") { _, _ -> String in
                for await _ in stalled {}
                return "never"
            }
        }).test(.live) { client in
            let r = try await client.execute(uri: "/stalled", method: .get) { (Int($0.status.code), String(buffer: $0.body)) }
            #expect(r.0 == 503 && problemCode(r.1) == "timeout", "\(r.1)")
            // The server still answers. The 200 ms limit holds for /health too, which a machine
            // running the whole suite side by side may exceed: a few tries, each a real request.
            var health = 0
            for _ in 0..<5 where health != 200 {
                health = try await client.execute(uri: "/health", method: .get) { Int($0.status.code) }
            }
            #expect(health == 200)
        }
    }
}
