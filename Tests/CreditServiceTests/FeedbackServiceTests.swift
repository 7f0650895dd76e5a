import CreditTestSupport
import CreditOperations
import CreditRegistry
import Foundation
import Hummingbird
import HummingbirdTesting
import NationalBridge
import Testing
@testable import CreditService

/// `POST /v1/feedback` on a live server: officers of the measure's department only — on SQLite and
/// on PostgreSQL.
@Suite struct FeedbackServiceTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let satOfficer = "sat-officer-token-0123456789"
    static let otherOfficer = "mem-officer-token-0123456789"
    static let administrator = "admin-token-0123456789abcd"

    let scratch: TemporaryDirectory
    let tokens = TokenStore(tokens: [
        FeedbackServiceTests.satOfficer: Caller(name: "officer-07", role: .officer, department: "sat"),
        FeedbackServiceTests.otherOfficer: Caller(name: "officer-12", role: .officer, department: "no-such-department"),
        FeedbackServiceTests.administrator: Caller(name: "admin", role: .administrator),
    ])

    init() throws {
        scratch = try TemporaryDirectory("feedback-service")
    }

    /// The registry on `backend`, and a subject of the tax feed with a measure of department
    /// `sat` of its own (not through another subject) in force on 2025-07-09.
    func prepared(_ backend: TestBackend) throws -> (operations: CreditOperations, subject: String, measure: String) {
        let operations = try backend.operations(in: scratch, today: try Day("2025-07-10"))
        for f in ["feeds/commerce-0001-full.xml", "feeds/commerce-0002-delta.xml", "feeds/tax-0001-full.xml"] {
            _ = try operations.ingestFeed(path: Self.root.appendingPathComponent("samples/\(f)").path)
        }
        _ = try operations.activateRules(paths: [Self.root.appendingPathComponent("rules").path], author: "test")
        let tax = try String(contentsOf: Self.root.appendingPathComponent("samples/feeds/tax-0001-full.xml"), encoding: .utf8)
        let codes = Set(tax.components(separatedBy: "<code>").dropFirst().compactMap { $0.components(separatedBy: "</code>").first }).sorted()
        let viewer = Viewer(actor: "test", maySeePersonalIDs: false)
        for code in codes {
            let measures = try operations.measures(code, asOf: try Day("2025-07-09"), viewer: viewer)?.measures ?? []
            if let m = measures.first(where: { $0.department == "sat" && $0.viaCode == nil }) { return (operations, code, m.measure) }
        }
        throw FeedbackFixtureError()
    }

    struct FeedbackFixtureError: Error, CustomStringConvertible { var description: String { "no tax subject with a sat measure of its own" } }

    func post(_ client: some TestClientProtocol, token: String, _ json: String) async throws -> (status: Int, body: String) {
        try await client.execute(uri: "/v1/feedback", method: .post,
                                 headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                                 body: ByteBuffer(string: json)) { r in (Int(r.status.code), String(buffer: r.body)) }
    }

    @Test(arguments: TestBackend.allCases) func anOfficerOfTheMeasuresDepartmentRecordsFeedback(_ backend: TestBackend) async throws {
        let (operations, subject, measure) = try prepared(backend)
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
        let queued = try operations.pendingMessages(limit: 1000).filter { $0.kind == .measureFeedback }
        #expect(queued.count == 1)
    }
}
