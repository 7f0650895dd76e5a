import CreditTestSupport
import CreditOperations
import CreditRegistry
import FeedIngest
import Foundation
import GRDB
import Testing

/// A list exit that waited for its entry reaches the outbox in the transaction that applies it,
/// after the entry, though its record keeps the feed it arrived in.
@Suite struct OutboxReleasedRecordsTests {
    let scratch: TemporaryDirectory
    init() throws { scratch = try TemporaryDirectory("outbox-released") }

    func food(_ seq: Int, kind: String, _ body: String) throws -> String {
        let path = scratch.path("food-order-\(seq).xml")
        try """
            <?xml version="1.0" encoding="UTF-8"?>
            <feed xmlns="urn:credit-engine:feed:food:1" version="1.0">
              <header><bureau>food</bureau><feedId>FSA-ORDER-\(seq)</feedId><sequence>\(seq)</sequence><generatedAt>2025-09-01T08:00:00+08:00</generatedAt><kind>\(kind)</kind></header>
            \(body)
            </feed>
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func listMessages(_ ops: CreditOperations) throws -> [(kind: ExchangePayload.Kind, subject: String?, payload: String)] {
        try ops.registry.read { db in try Outbox().all(in: db) }
            .filter { $0.kind == .listEntry || $0.kind == .listExit }
            .map { ($0.kind, $0.subjectCode, $0.payload) }
    }

    @Test func anExitReleasedByItsEntryIsQueuedAfterTheEntry() throws {
        let ops = try CreditOperations.open(path: scratch.path("credit.db"), clock: .fixed(Support.day("2026-01-10")))
        let samples = Support.rulesDir.deletingLastPathComponent().appendingPathComponent("samples")
        _ = try ops.ingestFeed(path: samples.appendingPathComponent("feeds/commerce-0001-full.xml").path)
        let company = "91350200MA3MPQ5A32"
        let before = try listMessages(ops).count
        let exit = try food(1, kind: "full", """
              <dishonestExit key="FDX-9" op="upsert"><code>\(company)</code><name>厦门嘉禾建设工程有限公司</name><entryKey>FD-9</entryKey>
                <reason>信用修复</reason><removedOn>2025-08-01</removedOn><authority>厦门市市场监督管理局</authority></dishonestExit>
            """)
        #expect(try ops.ingestFeed(path: exit).report.parked == 1)
        #expect(try listMessages(ops).count == before, "a parked exit is not sent before it is applied")

        let entry = try food(2, kind: "delta", """
              <dishonestEntry key="FD-9" op="upsert"><code>\(company)</code><name>厦门嘉禾建设工程有限公司</name>
                <documentNumber>厦市监食严〔2025〕9号</documentNumber><reason>生产经营添加非食用物质的食品</reason>
                <listedOn>2025-03-01</listedOn><until>2027-03-01</until><authority>厦门市市场监督管理局</authority>
                <authorityCode>11350200MB0M1A2KX3</authorityCode></dishonestEntry>
            """)
        #expect(try ops.ingestFeed(path: entry).report.released == 1)
        let added = Array(try listMessages(ops).dropFirst(before))
        #expect(added.map(\.kind) == [.listEntry, .listExit], "\(added)")
        #expect(added.allSatisfy { $0.subject == company && $0.payload.contains("food:FD-9") }, "\(added)")
        #expect(added.last?.payload.contains("2025-08-01") == true, "\(added)")
    }
}
