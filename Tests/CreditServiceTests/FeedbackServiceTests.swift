import CreditTestSupport
import CreditOperations
import CreditRegistry
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import NationalBridge
import Testing
@testable import CreditService

/// `POST /v1/feedback` on a live server: officers of the measure's department only.
@Suite struct FeedbackServiceTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let satOfficer = "sat-officer-token-0123456789"
    static let otherOfficer = "mem-officer-token-0123456789"
    static let administrator = "admin-token-0123456789abcd"

    let scratch: TemporaryDirectory
    let operations: CreditOperations
    let tokens = TokenStore(tokens: [
        FeedbackServiceTests.satOfficer: Caller(name: "officer-07", role: .officer, department: "sat"),
        FeedbackServiceTests.otherOfficer: Caller(name: "officer-12", role: .officer, department: "no-such-department"),
        FeedbackServiceTests.administrator: Caller(name: "admin", role: .administrator),
    ])
    /// A subject with a measure of department `sat` in force on 2025-07-09.
    let subject: String
    let measure: String

    init() throws {
        scratch = try TemporaryDirectory("feedback-service")
        operations = try CreditOperations.open(path: scratch.path("credit.db"), clock: .fixed(try Day("2025-07-10")))
        for f in ["feeds/commerce-0001-full.xml", "feeds/commerce-0002-delta.xml", "feeds/tax-0001-full.xml"] {
            _ = try operations.ingestFeed(path: Self.root.appendingPathComponent("samples/\(f)").path)
        }
        _ = try operations.activateRules(paths: [Self.root.appendingPathComponent("rules").path], author: "test")
        let found = try operations.registry.read { db in
            try Row.fetchOne(db, sql: """
                SELECT subject_code, measure FROM decision WHERE department = 'sat' AND via_code IS NULL
                AND valid_from <= '2025-07-09' AND (valid_until IS NULL OR valid_until > '2025-07-09') ORDER BY subject_code LIMIT 1
                """).map { [$0[0], $0[1]] as [String] }
        }
        let row = try #require(found)
        subject = row[0]; measure = row[1]
    }

    func post(_ client: some TestClientProtocol, token: String, _ json: String) async throws -> (status: Int, body: String) {
        try await client.execute(uri: "/v1/feedback", method: .post,
                                 headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                                 body: ByteBuffer(string: json)) { r in (Int(r.status.code), String(buffer: r.body)) }
    }

    @Test func anOfficerOfTheMeasuresDepartmentRecordsFeedback() async throws {
        let app = buildApplication(operations: operations, tokens: tokens, host: "127.0.0.1", port: 0)
        try await app.test(.live) { client in
            let body = #"{"subject": "\#(subject)", "measure": "\#(measure)", "case_number": "厦税稽〔2025〕3号", "date": "2025-07-09"}"#
            let ok = try await post(client, token: Self.satOfficer, body)
            #expect(ok.status == 201, "\(ok.body)")
            #expect(ok.body.contains("\"officer\":\"api:officer-07\""))

            let other = try await post(client, token: Self.otherOfficer, body)
            #expect(other.status == 403 && other.body.contains("wrong_department"), "\(other.body)")
            let admin = try await post(client, token: Self.administrator, body)
            #expect(admin.status == 403)
            let claimed = try await post(client, token: Self.satOfficer,
                                         #"{"subject": "\#(subject)", "measure": "\#(measure)", "case_number": "x", "date": "2025-07-09", "department": "pboc"}"#)
            #expect(claimed.status == 403 && claimed.body.contains("wrong_department"))
            let notInForce = try await post(client, token: Self.satOfficer,
                                            #"{"subject": "\#(subject)", "measure": "no_such_measure", "case_number": "x", "date": "2025-07-09"}"#)
            #expect(notInForce.status == 422 && notInForce.body.contains("measure_not_applicable"))
            let broken = try await post(client, token: Self.satOfficer, #"{"subject": 1}"#)
            #expect(broken.status == 400 && broken.body.contains("bad_body"))
            let badDay = try await post(client, token: Self.satOfficer,
                                        #"{"subject": "\#(subject)", "measure": "\#(measure)", "case_number": "x", "date": "2025-13-01"}"#)
            #expect(badDay.status == 400 && badDay.body.contains("bad_date"))
        }
        let stored = try #require(try operations.feedback(of: subject))
        #expect(stored.count == 1 && stored[0].department == "sat" && stored[0].caseNumber == "厦税稽〔2025〕3号")
        let queued = try operations.registry.read { db in try Outbox().all(in: db) }.filter { $0.kind == .measureFeedback }
        #expect(queued.count == 1)
    }
}
