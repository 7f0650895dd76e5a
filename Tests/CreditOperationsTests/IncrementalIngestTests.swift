import CreditTestSupport
import CreditOperations
import CreditRegistry
import Decisions
import FeedIngest
import Foundation
import GRDB
import Testing
@testable import RuleEngine

/// Decisions brought up to date inside a feed's own transaction, through the same use-case the
/// CLI and the service call.
@Suite final class IncrementalIngestTests {
    static let samples = Support.rulesDir.deletingLastPathComponent().appendingPathComponent("samples")
    static let today = Support.day("2026-01-10")
    let scratch: TemporaryDirectory
    var dir: URL { scratch.url }

    init() throws { scratch = try TemporaryDirectory("incremental") }

    func operationsWithActiveRules() throws -> CreditOperations {
        let ops = try CreditOperations.open(path: dir.appendingPathComponent("credit.db").path, clock: .fixed(Self.today))
        for f in ["feeds/commerce-0001-full.xml", "feeds/commerce-0002-delta.xml"] {
            #expect(try ops.ingestFeed(path: Self.samples.appendingPathComponent(f).path).report.outcome == .ingested)
        }
        _ = try ops.activateRules(paths: [Support.rulesDir.path], author: "test")
        return ops
    }

    /// A delta listing C25 (clean so far) as abnormal.
    func delta(sequence: Int) throws -> String {
        let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <feed xmlns="urn:credit-engine:feed:commerce:1" version="1.0">
          <header><bureau>commerce</bureau><feedId>INC-\(sequence)</feedId><sequence>\(sequence)</sequence><generatedAt>2026-01-05T08:00:00+08:00</generatedAt><kind>delta</kind></header>
          <abnormalEntry key="AB-C25-2026" op="upsert"><code>91350200MA3MPQ5A32</code><name>厦门嘉禾建设工程有限公司</name><ground>4</ground>
            <reason>通过登记的住所无法联系</reason><listedOn>2026-01-05</listedOn><authority>厦门市市场监督管理局</authority></abnormalEntry>
        </feed>
        """
        let path = dir.appendingPathComponent("delta-\(sequence).xml").path
        try xml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func measures(_ registry: Registry, _ code: String) throws -> [String] {
        try registry.read { db in try String.fetchAll(db, sql: "SELECT measure FROM decision WHERE subject_code = ? ORDER BY measure", arguments: [code]) }
    }

    func allDecisions(_ registry: Registry) throws -> [String] {
        try registry.read { db in try String.fetchAll(db, sql: "SELECT subject_code || measure || valid_from || COALESCE(valid_until, '') FROM decision ORDER BY 1") }
    }

    @Test func feedAndItsDecisionsCommitTogether() throws {
        let ops = try operationsWithActiveRules()
        #expect(try measures(ops.registry, "91350200MA3MPQ5A32").isEmpty)
        let outcome = try ops.ingestFeed(path: try delta(sequence: 3))
        #expect(outcome.report.outcome == .ingested)
        #expect((outcome.reevaluation?.subjectsEvaluated ?? 0) > 0, "the ingest re-evaluated the touched subject")
        let after = try measures(ops.registry, "91350200MA3MPQ5A32")
        #expect(after.contains("ec_abnormal_publicity"), "\(after)")
        // The same as a full recomputation on the same day.
        let incremental = try allDecisions(ops.registry)
        _ = try ops.refreshDecisions()
        #expect(try allDecisions(ops.registry) == incremental)
    }

    @Test func aFailingHookLeavesNeitherFeedNorDecisions() throws {
        let ops = try operationsWithActiveRules()
        let registry = ops.registry
        let before = try registry.snapshot()
        struct Boom: Error {}
        var ingestor = FeedIngestor(registry: registry)
        ingestor.beforeCommit = { db, _ in
            try db.execute(sql: "DELETE FROM decision")
            throw Boom()
        }
        #expect(throws: Boom.self) { try ingestor.ingest(path: try self.delta(sequence: 3)) }
        #expect(try registry.snapshot() == before)
        #expect(try registry.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM decision") ?? 0 } > 0)
    }

    @Test func aRuleSetWithFailingTestsIsNeverActivated() throws {
        let ops = try operationsWithActiveRules()
        let active = try ops.ruleStatus().version
        let broken = dir.appendingPathComponent("broken-rules")
        let flipped = try FailingRuleSet.copy(from: Support.rulesDir, to: broken)
        let loaded = RuleSetLoader.load(paths: [broken.path])
        guard loaded.ruleSet != nil, flipped else { Issue.record("could not build a failing rule set: \(loaded.renderedDiagnostics)"); return }
        #expect(RuleTestRunner.run(try #require(loaded.ruleSet)).failed > 0, "the flipped expectation fails")
        #expect(throws: OperationError.self) { try ops.activateRules(paths: [broken.path], author: "test") }
        #expect(try ops.ruleStatus().version == active, "the active version did not change")
    }
}
