import CreditTestSupport
import CreditOperations
import CreditQuery
import CreditRegistry
import FeedIngest
import Foundation
import GRDB
import Testing

/// Incremental, per-subject, as-of and whole-registry evaluation read the same facts: a
/// listing published with an end date keeps it on every path.
@Suite final class OneTruthTests {
    static let samples = Support.rulesDir.deletingLastPathComponent().appendingPathComponent("samples")
    static let today = Support.day("2026-01-10")
    static let company = "91350200MA3MPQ5A32"
    let scratch: TemporaryDirectory
    var dir: URL { scratch.url }

    init() throws { scratch = try TemporaryDirectory("one-truth") }

    /// A food delta listing the company as seriously dishonest from 2025-06-01 until 2027-06-01.
    func foodListing() throws -> String {
        let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <feed xmlns="urn:credit-engine:feed:food:1" version="1.0">
          <header><bureau>food</bureau><feedId>FSA-TRUTH-1</feedId><sequence>1</sequence><generatedAt>2025-06-02T08:00:00+08:00</generatedAt><kind>full</kind></header>
          <dishonestEntry key="FD-C25" op="upsert"><code>\(Self.company)</code><name>厦门嘉禾建设工程有限公司</name>
            <documentNumber>厦市监食严〔2025〕1号</documentNumber><reason>生产经营添加非食用物质的食品</reason>
            <listedOn>2025-06-01</listedOn><until>2027-06-01</until><authority>厦门市市场监督管理局</authority>
            <authorityCode>11350200MB0M1A2KX3</authorityCode></dishonestEntry>
        </feed>
        """
        let path = dir.appendingPathComponent("food-truth.xml").path
        try xml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func decisions(_ registry: Registry) throws -> [String] {
        try registry.read { db in
            try String.fetchAll(db, sql: """
                SELECT subject_code || ' ' || measure || ' ' || valid_from || ' ' || COALESCE(valid_until, '-') FROM decision ORDER BY 1
                """)
        }
    }

    @Test func incrementalEqualsFullWithAPublishedEndDate() throws {
        let ops = try CreditOperations.open(path: dir.appendingPathComponent("credit.db").path, clock: .fixed(Self.today))
        _ = try ops.activateRules(paths: [Support.rulesDir.path], author: "test")
        for f in ["feeds/commerce-0001-full.xml", "feeds/commerce-0002-delta.xml"] {
            #expect(try ops.ingestFeed(path: Self.samples.appendingPathComponent(f).path).report.outcome == .ingested)
        }
        #expect(try ops.ingestFeed(path: try foodListing()).report.outcome == .ingested)
        let incremental = try decisions(ops.registry)
        let listing = incremental.filter { $0.hasPrefix(Self.company + " fd_") }
        #expect(!listing.isEmpty, "the listing gives the food memorandum's measures")
        #expect(listing.allSatisfy { $0.hasSuffix(" 2027-06-01") }, "the published end is kept incrementally: \(listing)")
        _ = try ops.refreshDecisions()
        #expect(try decisions(ops.registry) == incremental, "incremental evaluation equals a full one")
    }

    @Test func anAsOfReportShowsThePublishedEndDate() throws {
        let ops = try CreditOperations.open(path: dir.appendingPathComponent("credit.db").path, clock: .fixed(Self.today))
        for f in ["feeds/commerce-0001-full.xml", "feeds/commerce-0002-delta.xml"] {
            _ = try ops.ingestFeed(path: Self.samples.appendingPathComponent(f).path)
        }
        _ = try ops.ingestFeed(path: try foodListing())
        _ = try ops.activateRules(paths: [Support.rulesDir.path], author: "test")
        let report = try #require(try ops.report(Self.company, options: .init(asOf: Support.day("2025-09-01"), actor: "test")))
        let food = report.measures.filter { $0.measure.hasPrefix("fd_") }
        #expect(!food.isEmpty)
        #expect(food.allSatisfy { $0.validUntil == Support.day("2027-06-01") }, "\(food.map { "\($0.measure) \($0.validUntil?.description ?? "-")" })")
        let entry = try #require(report.listEntries.first { $0.list == KnownList.foodDrugSeriousDishonest })
        #expect(entry.exitedOn == Support.day("2027-06-01"))
    }
}
