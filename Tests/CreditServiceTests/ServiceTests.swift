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

/// The HTTP API on a real server on 127.0.0.1, over a registry built from the samples (``ServiceSample``),
/// on SQLite and on PostgreSQL.
@Suite struct ServiceTests: LiveServiceCalls {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let officer = "officer-token-0123456789"
    static let bank = "bank-token-0123456789abcd"
    static let operatorToken = "operator-token-0123456789"

    init() {}

    @Test(arguments: TestBackend.allCases) func reportForAnOfficerIsAuditedAndNamesTheCauses(_ backend: TestBackend) async throws {
        let s = try ServiceSample(backend)
        try await s.app().test(.live) { client in
            let r = try await get(client, "/v1/subjects/350200201603011?as_of=2024-06-01", token: Self.officer)
            #expect(r.status == 200)
            let json = try JSONSerialization.jsonObject(with: Data(r.body.utf8)) as? [String: Any]
            let measures = json?["measures"] as? [[String: Any]] ?? []
            #expect(measures.contains { $0["measure"] as? String == "tax_grade_d" })
            #expect(measures.allSatisfy { !(($0["causes"] as? [Any]) ?? []).isEmpty })
            #expect((measures.first?["department"] as? String) == "sat", "the officer's department comes first")
        }
        let audit = try s.auditEntries(subject: "91350200MA2XH1K70Y")
        #expect(audit.contains { $0.actor == "api:officer-07" && $0.action == "lookup" })
    }

    @Test(arguments: TestBackend.allCases) func tokensAndRolesAreEnforced(_ backend: TestBackend) async throws {
        let s = try ServiceSample(backend)
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
        try await s.app().test(.live) { client in
            for c in cases {
                let r = try await get(client, c.uri, token: c.token)
                #expect(r.status == c.status, "\(c.uri)")
            }
        }
    }

    @Test(arguments: TestBackend.allCases) func searchAndRules(_ backend: TestBackend) async throws {
        let s = try ServiceSample(backend)
        try await s.app().test(.live) { client in
            let search = try await get(client, "/v1/search?q=" + "华兴科技".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!, token: Self.operatorToken)
            #expect(search.status == 200)
            #expect(search.body.contains("91350200MA2XH1K70Y"))
            let rules = try await get(client, "/v1/rules", token: Self.operatorToken)
            #expect(rules.status == 200 && rules.body.contains("发改财金〔2016〕141号"))
        }
    }

    @Test(arguments: TestBackend.allCases) func bankBatchCheckMasksPersonsAndKeepsInputOrder(_ backend: TestBackend) async throws {
        let s = try ServiceSample(backend)
        let csv = "code,name\n91350200MA2XH1K70Y,华兴科技(厦门)有限公司\n350221197203140316,陈建国\n91350100M000100Y44,坏代码\n"
        try await s.app().test(.live) { client in
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

    @Test(arguments: TestBackend.allCases) func batchCheckStreamsLargeFilesAndRefusesBadOnes(_ backend: TestBackend) async throws {
        let s = try ServiceSample(backend)
        // Larger than the pipes' buffers in both directions: back-pressure must not deadlock.
        var csv = "code,name\n"
        for i in 0..<30_000 { csv += (i % 2 == 0 ? "91350200MA2XH1K70Y,华兴科技(厦门)有限公司\n" : "91350100M000100Y43,某公司\n") }
        let body = csv
        // Back-pressure is the subject, not the deadlines: on a loaded machine the check may take
        // longer than 30 s, and PostgreSQL's reads may leave the connection silent for as long.
        var limits = ServiceLimits()
        limits.requestTimeout = .seconds(300)
        limits.idleTimeout = .seconds(300)
        try await s.app(limits: limits).test(.live) { client in
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
        let checks = try s.auditEntries(limit: 20).filter { $0.action == "check" }
        #expect(checks.contains { $0.actor == "api:bank-3" && $0.detail.contains("30000 rows") })
    }

    @Test(arguments: TestBackend.allCases) func pageAndOpenAPIAreServed(_ backend: TestBackend) async throws {
        let s = try ServiceSample(backend)
        try await s.app().test(.live) { client in
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

    @Test(arguments: TestBackend.allCases) func measuresLookUpIsLightAndAudited(_ backend: TestBackend) async throws {
        let s = try ServiceSample(backend)
        try await s.app().test(.live) { client in
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
        let entries = try s.auditEntries(limit: 10)
        #expect(entries.filter { $0.detail.contains("measures as-of") }.count == 4)
        #expect(entries.contains { $0.action == "unmask" && $0.subject == "350221197203140316" && $0.actor == "api:officer-07" })
        #expect(try s.operations.verifyAudit().isIntact)
    }

    /// Concurrent look-ups are grouped into shared transactions: each still gets its own answer
    /// and its own audit entry, committed before it is answered.
    @Test(arguments: TestBackend.allCases) func concurrentMeasuresLookUpsEachGetTheirAnswerAndEntry(_ backend: TestBackend) async throws {
        let s = try ServiceSample(backend)
        let ids = ["91350200MA2XH1K70Y", "350200201603011", "91350100M000100Y43"]   // USCC, legacy number, unknown
        try await s.app().test(.live) { client in
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
        let entries = try s.auditEntries(limit: 1000).filter { $0.actor == "api:officer-07" && $0.detail.contains("measures as-of") }
        #expect(entries.count == 150)
        #expect(entries.filter { $0.subject == "91350200MA2XH1K70Y" }.count == 100)
        #expect(try s.operations.verifyAudit().isIntact)
    }
}
