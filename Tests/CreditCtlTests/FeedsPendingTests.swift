import CreditTestSupport
import Foundation
import Testing

/// `creditctl feeds pending` through the real binary: an exit that arrives before its entry
/// waits, is listed with its feed, line and reason, and is applied when the entry arrives — on
/// SQLite and on PostgreSQL.
@Suite
struct FeedsPendingTests {
    let scratch: TemporaryDirectory
    init() throws {
        scratch = try TemporaryDirectory("feeds-pending")
    }

    func food(_ seq: Int, kind: String, _ body: String) throws -> String {
        let path = scratch.path("food-order-\(seq).xml")
        try """
            <?xml version="1.0" encoding="UTF-8"?>
            <feed xmlns="urn:credit-engine:feed:food:1" version="1.0">
              <header><bureau>food</bureau><feedId>FSA-ORDER-\(seq)</feedId><sequence>\(seq)</sequence><generatedAt>2025-07-01T08:00:00+08:00</generatedAt><kind>\(kind)</kind></header>
            \(body)
            </feed>
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(arguments: TestBackend.allCases) func anExitBeforeItsEntryIsListedThenApplied(_ backend: TestBackend) throws {
        let run = try RegistryCLI(backend, in: scratch)
        let company = "91350200MA3MPQ5A32"
        let commerce = CreditCtlBinary.packageRoot.appendingPathComponent("samples/feeds/commerce-0001-full.xml").path
        #expect(try run(["ingest", commerce]).status == 0)
        let exit = try food(1, kind: "full", """
              <dishonestExit key="FDX-9" op="upsert"><code>\(company)</code><name>厦门嘉禾建设工程有限公司</name><entryKey>FD-9</entryKey>
                <reason>信用修复</reason><removedOn>2025-07-01</removedOn><authority>厦门市市场监督管理局</authority></dishonestExit>
            """)
        let first = try run(["ingest", exit])
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")

        let text = try run(["feeds", "pending", "--format", "table"])
        #expect(text.status == 0, "\(text.stderr)")
        let row = text.stdout.split(separator: "\n").first { $0.contains("FDX-9") }.map(String.init) ?? ""
        #expect(row.contains("food-order-1.xml") && row.contains("food:FD-9") && row.contains(company), "\(text.stdout)")
        #expect(row.split(separator: " ", omittingEmptySubsequences: true).contains("4"), "line 4: \(row)")

        let json = try run(["feeds", "pending", "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let objects = try json.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(objects.count == 1, "\(json.stdout)")
        let parked = try #require(objects.first)
        #expect(parked["feed"] as? String == "food-order-1.xml")
        #expect(parked["bureau"] as? String == "food")
        #expect(parked["line"] as? Int == 4)
        #expect(parked["key"] as? String == "FDX-9")
        #expect((parked["reason"] as? String)?.contains("food:FD-9") == true, "\(parked)")

        let entry = try food(2, kind: "delta", """
              <dishonestEntry key="FD-9" op="upsert"><code>\(company)</code><name>厦门嘉禾建设工程有限公司</name>
                <documentNumber>厦市监食严〔2025〕9号</documentNumber><reason>生产经营添加非食用物质的食品</reason>
                <listedOn>2025-03-01</listedOn><until>2027-03-01</until><authority>厦门市市场监督管理局</authority>
                <authorityCode>11350200MB0M1A2KX3</authorityCode></dishonestEntry>
            """)
        #expect(try run(["ingest", entry]).status == 0)
        let after = try run(["feeds", "pending", "--format", "table"])
        #expect(after.status == 0 && after.stdout.contains("no records wait to be applied"), "\(after.stdout)")
        let afterJSON = try run(["feeds", "pending", "--format", "json"])
        #expect(afterJSON.status == 0 && afterJSON.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(afterJSON.stdout)")
    }
}
