import CreditTestSupport
import Foundation
import GRDB
import Testing
import CreditQuery
@testable import CreditRegistry
import CreditSamples
import Decisions
import FeedIngest

/// Bulk mode (indexes rebuilt once at the end of a large feed) must leave exactly the registry
/// that row-by-row ingest leaves, with its indexes, triggers and name search in place.
@Suite struct BulkIngestTests {
    @Test func bulkModeEqualsRowByRow() async throws {
        try await onOwnThread {
            let scratch = try TemporaryDirectory("bulk")
            let dir = scratch.url
            _ = try FeedGenerator(subjects: 600, seed: 5).write(to: dir.path)
            let feed = dir.appendingPathComponent("commerce-0001-full.xml").path

            func ingest(bulkThreshold: Int) throws -> Registry {
                let registry = try Registry(path: dir.appendingPathComponent("r\(bulkThreshold).db").path)
                try DecisionSchema.migrate(registry)
                var ingestor = FeedIngestor(registry: registry)
                ingestor.bulkThreshold = bulkThreshold
                let report = try ingestor.ingest(path: feed)
                #expect(report.outcome == .ingested && report.rejected == 0)
                return registry
            }
            let rowByRow = try ingest(bulkThreshold: Int.max)
            let bulk = try ingest(bulkThreshold: 0)
            #expect(try bulk.snapshot() == rowByRow.snapshot())

            func schema(_ r: Registry) throws -> [String] {
                try r.read { db in try String.fetchAll(db, sql: "SELECT type || ' ' || name FROM sqlite_master WHERE type IN ('index', 'trigger') ORDER BY 1") }
            }
            #expect(try schema(bulk) == schema(rowByRow))
            let names = { (r: Registry) in try r.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM name_index") ?? 0 } }
            #expect(try names(bulk) == names(rowByRow))
            #expect(try names(bulk) > 500)
            // The short-query index a bulk feed rebuilds in one pass (its postings computed beside
            // the trigram rebuild) holds exactly the rows its triggers keep row by row.
            let grams = { (r: Registry) in
                try r.read { db in
                    try Row.fetchAll(db, sql: "SELECT * FROM name_gram ORDER BY 1, 2, 3, 4, 5, 6, 7").map { "\($0)" }
                        + String.fetchAll(db, sql: "SELECT gram FROM name_gram_cut ORDER BY 1")
                }
            }
            let bulkGrams = try grams(bulk)
            #expect(bulkGrams == (try grams(rowByRow)))
            #expect(bulkGrams.count > 1_000)

            // Name search finds a registered name through the rebuilt trigram index…
            let anyName = try #require(try bulk.read { db in try String.fetchOne(db, sql: "SELECT name FROM subject_name ORDER BY name LIMIT 1") })
            let fragment = String(anyName.dropFirst(2).prefix(4))
            let hits = try NameSearch(registry: bulk).search(fragment, limit: 100)
            #expect(hits.contains { $0.name.contains(fragment) })
            // …and the triggers are back: a later name is indexed row by row.
            try bulk.write { db in
                try bulk.upsert(Subject(code: "91350100M000100Y43", kind: .enterprise, name: "福州独一无二测试有限公司"), in: db)
            }
            #expect(try NameSearch(registry: bulk).search("独一无二测试").map(\.code) == ["91350100M000100Y43"])
        }
    }
}
