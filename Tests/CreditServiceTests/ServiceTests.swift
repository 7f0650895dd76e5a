import CreditTestSupport
import CreditOperations
import CreditRegistry
import Foundation
import Hummingbird
import HummingbirdTesting
import NationalBridge
import RuleEngine
import Testing
@testable import CreditService

/// The HTTP API on a real server on 127.0.0.1, over a registry built from the samples.
@Suite struct ServiceTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let officer = "officer-token-0123456789"
    static let bank = "bank-token-0123456789abcd"
    static let operatorToken = "operator-token-0123456789"

    let scratch: TemporaryDirectory
    let operations: CreditOperations
    var registry: Registry { operations.registry }
    /// The registry's accounts, read on every request (no cache), as `serve` reads them.
    var tokens: TokenStore { TokenStore(accounts: operations, ttl: .zero) }

    init() throws {
        scratch = try TemporaryDirectory("service")
        let path = scratch.path("credit.db")
        operations = try CreditOperations.open(path: path, clock: .fixed(try Day("2025-07-10")))
        for f in ["feeds/commerce-0001-full.xml", "feeds/commerce-0002-delta.xml", "feeds/food-0001-full.xml", "feeds/tax-0001-full.xml"] {
            _ = try operations.ingestFeed(path: Self.root.appendingPathComponent("samples/\(f)").path)
        }
        _ = try NationalBridge(operations: operations).importDishonestDebtors(path: Self.root.appendingPathComponent("samples/national/dishonest-debtors.csv").path)
        _ = try operations.activateRules(paths: [Self.root.appendingPathComponent("rules").path], author: "test")
        let file = scratch.path("tokens.json")
        try Data("""
            [{"token": "\(Self.officer)", "name": "officer-07", "role": "officer", "department": "sat"},
             {"token": "\(Self.bank)", "name": "bank-3", "role": "bank"},
             {"token": "\(Self.operatorToken)", "name": "op-1", "role": "operator"}]
            """.utf8).write(to: URL(fileURLWithPath: file))
        chmod(file, 0o600)
        _ = try operations.importAccounts(try TokenFile(path: file), actor: "test")
    }

    func app() -> some ApplicationProtocol { buildApplication(operations: operations, tokens: tokens, host: "127.0.0.1", port: 0) }

    func get(_ client: some TestClientProtocol, _ uri: String, token: String?) async throws -> (status: Int, body: String) {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: uri, method: .get, headers: headers) { r in (Int(r.status.code), String(buffer: r.body)) }
    }

    @Test func reportForAnOfficerIsAuditedAndNamesTheCauses() async throws {
        try await app().test(.live) { client in
            let r = try await get(client, "/v1/subjects/350200201603011?as_of=2024-06-01", token: Self.officer)
            #expect(r.status == 200)
            let json = try JSONSerialization.jsonObject(with: Data(r.body.utf8)) as? [String: Any]
            let measures = json?["measures"] as? [[String: Any]] ?? []
            #expect(measures.contains { $0["measure"] as? String == "tax_grade_d" })
            #expect(measures.allSatisfy { !(($0["causes"] as? [Any]) ?? []).isEmpty })
            #expect((measures.first?["department"] as? String) == "sat", "the officer's department comes first")
        }
        let audit = try operations.audit.entries(subject: "91350200MA2XH1K70Y")
        #expect(audit.contains { $0.actor == "api:officer-07" && $0.action == "lookup" })
    }

    @Test func tokensAndRolesAreEnforced() async throws {
        let cases: [(uri: String, token: String?, status: Int)] = [
            ("/v1/subjects/91350200MA2XH1K70Y", nil, 401),
            ("/v1/subjects/91350200MA2XH1K70Y", "not-a-token-at-all-xx", 401),
            ("/v1/subjects/91350200MA2XH1K70Y", Self.bank, 403),
            ("/v1/search?q=%E5%8D%8E%E5%85%B4", Self.bank, 403),
            ("/v1/subjects/91350200MA2XH1K70Y?unmask=true", Self.operatorToken, 403),
            ("/v1/subjects/91350100M000100Y43", Self.officer, 404),
            ("/v1/subjects/91350200MA2XH1K70Y?as_of=2024-13-01", Self.officer, 400),
            ("/health", nil, 200),
        ]
        try await app().test(.live) { client in
            for c in cases {
                let r = try await get(client, c.uri, token: c.token)
                #expect(r.status == c.status, "\(c.uri)")
            }
        }
    }

    @Test func searchAndRules() async throws {
        try await app().test(.live) { client in
            let s = try await get(client, "/v1/search?q=" + "华兴科技".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!, token: Self.operatorToken)
            #expect(s.status == 200)
            #expect(s.body.contains("91350200MA2XH1K70Y"))
            let rules = try await get(client, "/v1/rules", token: Self.operatorToken)
            #expect(rules.status == 200 && rules.body.contains("发改财金〔2016〕141号"))
        }
    }

    @Test func bankBatchCheckMasksPersonsAndKeepsInputOrder() async throws {
        let csv = "code,name\n91350200MA2XH1K70Y,华兴科技(厦门)有限公司\n350221197203140316,陈建国\n91350100M000100Y44,坏代码\n"
        try await app().test(.live) { client in
            let r = try await client.execute(uri: "/v1/check", method: .post, headers: [.authorization: "Bearer \(Self.bank)"],
                                             body: ByteBuffer(string: csv)) { r in (Int(r.status.code), String(buffer: r.body)) }
            #expect(r.0 == 200)
            let lines = r.1.split(separator: "\n")
            #expect(lines.count == 3)
            #expect(lines[0].contains("91350200MA2XH1K70Y") && lines[0].contains("\"flagged\":true"))
            #expect(!r.1.contains("350221197203140316"), "banks never see personal ID numbers")
            #expect(lines[2].contains("position 18"))
            let denied = try await client.execute(uri: "/v1/check", method: .post, headers: [.authorization: "Bearer \(Self.officer)"],
                                                  body: ByteBuffer(string: csv)) { Int($0.status.code) }
            #expect(denied == 403)
        }
    }

    @Test func batchCheckStreamsLargeFilesAndRefusesBadOnes() async throws {
        // Larger than the pipes' buffers in both directions: back-pressure must not deadlock.
        var csv = "code,name\n"
        for i in 0..<30_000 { csv += (i % 2 == 0 ? "91350200MA2XH1K70Y,华兴科技(厦门)有限公司\n" : "91350100M000100Y43,某公司\n") }
        let body = csv
        try await app().test(.live) { client in
            let bank: HTTPFields = [.authorization: "Bearer \(Self.bank)"]
            let r = try await client.execute(uri: "/v1/check?format=csv", method: .post, headers: bank,
                                             body: ByteBuffer(string: body)) { r in (Int(r.status.code), String(buffer: r.body)) }
            #expect(r.0 == 200)
            let lines = r.1.split(separator: "\n")
            #expect(lines.count == 30_001, "a header and one verdict per row, in order")
            #expect(lines.dropFirst().enumerated().allSatisfy { $0.element.contains($0.offset % 2 == 0 ? "91350200MA2XH1K70Y" : "91350100M000100Y43") })
            let noCode = try await client.execute(uri: "/v1/check?code_column=nope", method: .post, headers: bank,
                                                  body: ByteBuffer(string: "code,name\n91350200MA2XH1K70Y,x\n")) { r in (Int(r.status.code), String(buffer: r.body)) }
            #expect(noCode.0 == 400, "\(noCode.1)")
            var multipart = bank
            multipart[.contentType] = "multipart/form-data; boundary=x"
            let mp = try await client.execute(uri: "/v1/check", method: .post, headers: multipart, body: ByteBuffer(string: "--x\r\n")) { Int($0.status.code) }
            #expect(mp == 415)
        }
        let checks = try operations.audit.entries(limit: 20).filter { $0.action == "check" }
        #expect(checks.contains { $0.actor == "api:bank-3" && $0.detail.contains("30000 rows") })
    }

    @Test func pageAndOpenAPIAreServed() async throws {
        try await app().test(.live) { client in
            let page = try await get(client, "/", token: nil)
            #expect(page.status == 200 && page.body.contains("/v1/subjects/"))
            let spec = try await get(client, "/openapi.json", token: nil)
            #expect(spec.status == 200)
            let json = try JSONSerialization.jsonObject(with: Data(spec.body.utf8)) as? [String: Any]
            let paths = (json?["paths"] as? [String: Any])?.keys.sorted() ?? []
            #expect(paths == ["/", "/health", "/metrics", "/openapi.json", "/public", "/public/v1/search", "/public/v1/subjects/{code}", "/session",
                              "/session/sign-out", "/v1/check", "/v1/feedback", "/v1/rules", "/v1/search", "/v1/subjects/{id}", "/v1/subjects/{id}/measures"])
        }
    }

    @Test func measuresLookUpIsLightAndAudited() async throws {
        try await app().test(.live) { client in
            let r = try await get(client, "/v1/subjects/91350200MA2XH1K70Y/measures", token: Self.officer)
            #expect(r.status == 200)
            #expect(r.body.contains("tax_grade_d"))
            let person = try await get(client, "/v1/subjects/350221197203140316/measures", token: Self.officer)
            #expect(person.status == 200 && !person.body.contains("350221197203140316"), "masked unless asked")
            let unmasked = try await get(client, "/v1/subjects/350221197203140316/measures?unmask=true", token: Self.officer)
            #expect(unmasked.status == 200 && unmasked.body.contains("350221197203140316"), "officers may unmask")
            let missing = try await get(client, "/v1/subjects/91350100M000100Y43/measures", token: Self.officer)
            #expect(missing.status == 404)
        }
        let entries = try operations.audit.entries(limit: 10)
        #expect(entries.filter { $0.detail.contains("measures as-of") }.count == 4)
        #expect(entries.contains { $0.action == "unmask" && $0.subject == "350221197203140316" && $0.actor == "api:officer-07" })
        #expect(try operations.audit.verify().isIntact)
    }

    /// Concurrent look-ups are grouped into shared transactions: each still gets its own answer
    /// and its own audit entry, committed before it is answered.
    @Test func concurrentMeasuresLookUpsEachGetTheirAnswerAndEntry() async throws {
        let ids = ["91350200MA2XH1K70Y", "350200201603011", "91350100M000100Y43"]   // USCC, legacy number, unknown
        try await app().test(.live) { client in
            try await withThrowingTaskGroup(of: (Int, Int, String).self) { group in
                for i in 0..<150 {
                    group.addTask {
                        let r = try await self.get(client, "/v1/subjects/\(ids[i % 3])/measures", token: Self.officer)
                        return (i, r.status, r.body)
                    }
                }
                for try await (i, status, body) in group {
                    switch i % 3 {
                    case 2: #expect(status == 404)
                    default: #expect(status == 200 && body.contains("\"code\":\"91350200MA2XH1K70Y\""), "request \(i): \(body)")
                    }
                }
            }
        }
        let entries = try operations.audit.entries(limit: 1000).filter { $0.actor == "api:officer-07" && $0.detail.contains("measures as-of") }
        #expect(entries.count == 150)
        #expect(entries.filter { $0.subject == "91350200MA2XH1K70Y" }.count == 100)
        #expect(try operations.audit.verify().isIntact)
    }
}
