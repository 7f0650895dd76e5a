import CreditRegistry
import Foundation
import GRDB
import Testing
@testable import RuleEngine

/// Decisions brought up to date inside a feed's own transaction.
@Suite struct IncrementalIngestTests {
    static let samples = Support.rulesDir.deletingLastPathComponent().appendingPathComponent("samples")
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("incremental-\(UUID().uuidString)")

    func registryWithActiveRules() throws -> (Registry, CompiledRuleSet) {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let registry = try Registry(path: dir.appendingPathComponent("credit.db").path)
        for f in ["feeds/commerce-0001-full.xml", "feeds/commerce-0002-delta.xml"] {
            _ = try FeedIngestor(registry: registry).ingest(path: Self.samples.appendingPathComponent(f).path)
        }
        let rules = Support.shipped()
        _ = try registry.write { db in try DecisionMaterialiser(rules: rules, registry: registry).materialiseAll(asOf: Day.today(), in: db) }
        return (registry, rules)
    }

    /// A delta listing C25 (clean so far) as abnormal today.
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

    @Test func feedAndItsDecisionsCommitTogether() throws {
        let (registry, rules) = try registryWithActiveRules()
        #expect(try measures(registry, "91350200MA3MPQ5A32").isEmpty)
        var ingestor = FeedIngestor(registry: registry)
        ingestor.beforeCommit = { db, report in
            _ = try DecisionMaterialiser(rules: rules, registry: registry).materialise(touched: report.touchedSubjects, asOf: Day.today(), in: db)
        }
        let r = try ingestor.ingest(path: try delta(sequence: 3))
        #expect(r.outcome == .ingested)
        let after = try measures(registry, "91350200MA3MPQ5A32")
        #expect(after.contains("ec_abnormal_publicity"), "\(after)")
        // The same as a full recomputation.
        let incremental = try registry.read { db in try String.fetchAll(db, sql: "SELECT subject_code || measure FROM decision ORDER BY 1") }
        _ = try registry.write { db in try DecisionMaterialiser(rules: rules, registry: registry).materialiseAll(asOf: Day.today(), in: db) }
        #expect(try registry.read { db in try String.fetchAll(db, sql: "SELECT subject_code || measure FROM decision ORDER BY 1") } == incremental)
    }

    @Test func aFailingHookLeavesNeitherFeedNorDecisions() throws {
        let (registry, _) = try registryWithActiveRules()
        let before = try registry.snapshot()
        struct Boom: Error {}
        var ingestor = FeedIngestor(registry: registry)
        ingestor.beforeCommit = { db, _ in
            try db.execute(sql: "DELETE FROM decision")
            throw Boom()
        }
        #expect(throws: Boom.self) { try ingestor.ingest(path: try delta(sequence: 3)) }
        #expect(try registry.snapshot() == before)
        #expect(try registry.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM decision") ?? 0 } > 0)
    }
}
