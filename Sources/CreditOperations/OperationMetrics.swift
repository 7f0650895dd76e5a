import CoreMetrics
import Decisions
import FeedIngest

/// The use-cases' counters, through swift-metrics: whichever adapter runs a use-case (the CLI,
/// the service, the bridge), it counts here, and the backend the process bootstrapped (the
/// service's Prometheus registry; none for the CLI) receives it.
///
/// | metric | kind | labels |
/// |---|---|---|
/// | `credit_ingest_feeds_total` | counter | `outcome` (`ingested`, `already_ingested`, `refused`) |
/// | `credit_ingest_records_total` | counter | `result` (`stored`, `quarantined`) |
/// | `credit_evaluation_subjects_total` | counter | `trigger` (`feed`, `activation`, `rollback`, `refresh`) |
/// | `credit_evaluation_decisions_total` | counter | `trigger` |
/// | `credit_audit_entries_written_total` | counter | — |
/// | `credit_audit_commits_total` | counter | — (entries ÷ commits is the group-commit batch size) |
/// | `credit_audit_queue_depth` | gauge | — entries handed over and not yet committed |
public struct OperationMetrics: Sendable {
    /// Why decisions were evaluated.
    public enum Trigger: String, Sendable, CaseIterable {
        case feed, activation, rollback, refresh
    }

    private let feeds: [IngestReport.Outcome: Counter]
    private let recordsStored: Counter
    private let recordsQuarantined: Counter
    private let subjectsEvaluated: [Trigger: Counter]
    private let decisionsWritten: [Trigger: Counter]
    private let auditWritten: Counter
    private let auditCommits: Counter
    private let auditQueue: Meter

    /// Counters made by `factory` (default: the one the process bootstrapped).
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        func counter(_ label: String, _ dimensions: [(String, String)] = []) -> Counter {
            Counter(label: label, dimensions: dimensions, factory: factory)
        }
        let outcomes: [IngestReport.Outcome] = [.ingested, .alreadyIngested, .refused]
        feeds = Dictionary(uniqueKeysWithValues: outcomes.map { ($0, counter("credit_ingest_feeds_total", [("outcome", $0.rawValue)])) })
        recordsStored = counter("credit_ingest_records_total", [("result", "stored")])
        recordsQuarantined = counter("credit_ingest_records_total", [("result", "quarantined")])
        subjectsEvaluated = Dictionary(uniqueKeysWithValues: Trigger.allCases.map {
            ($0, counter("credit_evaluation_subjects_total", [("trigger", $0.rawValue)]))
        })
        decisionsWritten = Dictionary(uniqueKeysWithValues: Trigger.allCases.map {
            ($0, counter("credit_evaluation_decisions_total", [("trigger", $0.rawValue)]))
        })
        auditWritten = counter("credit_audit_entries_written_total")
        auditCommits = counter("credit_audit_commits_total")
        auditQueue = Meter(label: "credit_audit_queue_depth", dimensions: [], factory: factory)
    }

    /// A feed or list has been ingested (or refused, or found already ingested).
    func ingested(_ report: IngestReport) {
        feeds[report.outcome]?.increment()
        guard report.outcome == .ingested else { return }
        recordsStored.increment(by: Int64(max(0, report.read - report.rejected)))
        recordsQuarantined.increment(by: Int64(report.rejected))
    }

    /// Decisions were (re)computed and written.
    func evaluated(_ summary: DecisionMaterialiser.Summary, by trigger: Trigger) {
        subjectsEvaluated[trigger]?.increment(by: Int64(summary.subjectsEvaluated))
        decisionsWritten[trigger]?.increment(by: Int64(summary.decisions))
    }

    /// `count` audit entries were committed in one transaction.
    func auditCommitted(_ count: Int) {
        auditWritten.increment(by: Int64(count))
        auditCommits.increment()
    }

    /// `count` audit entries wait for a group commit (the service's batchers report here).
    public func auditQueued(_ count: Int) { auditQueue.increment(by: Double(count)) }

    /// `count` entries that were waiting have been committed or failed.
    public func auditDequeued(_ count: Int) { auditQueue.decrement(by: Double(count)) }
}
