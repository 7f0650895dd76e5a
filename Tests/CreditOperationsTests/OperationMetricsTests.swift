import CoreMetrics
import CreditTestSupport
import CreditOperations
import CreditRegistry
import Foundation
import MetricsTestKit
import Testing

/// The use-cases count what they do through swift-metrics, whichever adapter calls them: the
/// command line's path counts exactly as the service's.
@Suite struct OperationMetricsTests {
    static let samples = Support.rulesDir.deletingLastPathComponent().appendingPathComponent("samples")

    @Test func feedsRecordsEvaluationsAndAuditCommitsAreCounted() throws {
        let scratch = try TemporaryDirectory("metrics")
        let metrics = TestMetrics()
        let ops = try CreditOperations.open(path: scratch.path("credit.db"), clock: .fixed(Support.day("2025-07-10")))
            .reportingMetrics(to: OperationMetrics(factory: metrics))
        func count(_ label: String, _ dimensions: [(String, String)] = []) throws -> Int64 {
            try metrics.expectCounter(label, dimensions).totalValue
        }

        let activation = try ops.activateRules(paths: [Support.rulesDir.path], author: "test")
        #expect(try count("credit_evaluation_subjects_total", [("trigger", "activation")]) == Int64(activation.summary.subjectsEvaluated))
        #expect(try count("credit_audit_entries_written_total") == 1, "the activation's own entry")

        let first = try ops.ingestFeed(path: Self.samples.appendingPathComponent("feeds/commerce-0001-full.xml").path)
        #expect(first.report.outcome == .ingested && first.report.read > 0)
        #expect(try count("credit_ingest_feeds_total", [("outcome", "ingested")]) == 1)
        #expect(try count("credit_ingest_records_total", [("result", "stored")]) == Int64(first.report.read - first.report.rejected))
        #expect(try count("credit_ingest_records_total", [("result", "quarantined")]) == Int64(first.report.rejected))
        let reevaluated = try #require(first.reevaluation)
        #expect(reevaluated.subjectsEvaluated > 0)
        #expect(try count("credit_evaluation_subjects_total", [("trigger", "feed")]) == Int64(reevaluated.subjectsEvaluated))
        #expect(try count("credit_evaluation_decisions_total", [("trigger", "feed")]) == Int64(reevaluated.decisions))

        let again = try ops.ingestFeed(path: Self.samples.appendingPathComponent("feeds/commerce-0001-full.xml").path)
        #expect(again.report.outcome == .alreadyIngested)
        #expect(try count("credit_ingest_feeds_total", [("outcome", "already_ingested")]) == 1)
        #expect(try count("credit_ingest_feeds_total", [("outcome", "ingested")]) == 1, "an idempotent repeat stores nothing")

        let refresh = try ops.refreshDecisions()
        #expect(try count("credit_evaluation_decisions_total", [("trigger", "refresh")]) == Int64(refresh.summary.decisions))

        _ = try ops.searchNames("华兴", viewer: Viewer(actor: "cli:test", maySeePersonalIDs: false))
        #expect(try count("credit_audit_entries_written_total") == 2)
        #expect(try count("credit_audit_commits_total") == 2)
    }
}
