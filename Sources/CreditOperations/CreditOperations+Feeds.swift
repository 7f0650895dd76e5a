import CreditQuery
import CreditRegistry
import Decisions
import FeedIngest
import Foundation
import Logging

/// What ingesting one feed or list did: the ingest report and, when a rule set is active, the
/// re-evaluation of the subjects it touched (committed in the same transaction as the feed, or
/// right after it for a feed that touched too many subjects to list).
public struct FeedOutcome: Sendable, Codable {
    public var report: IngestReport
    public var reevaluation: DecisionMaterialiser.Summary?

    public init(report: IngestReport, reevaluation: DecisionMaterialiser.Summary?) {
        self.report = report
        self.reevaluation = reevaluation
    }
}

extension CreditOperations {
    /// Ingests one bureau XML feed: validated, quarantining bad records, atomic, idempotent;
    /// with a rule set active, the touched subjects and those related to them are re-evaluated
    /// inside the feed's transaction, so the feed and the decisions it changes commit together.
    public func ingestFeed(path: String, acceptLegacyChecksum: Bool = false,
                           progress: (@Sendable (FeedIngestor.Progress) -> Void)? = nil) throws -> FeedOutcome {
        let (ingestor, result) = try ingestor(acceptLegacyChecksum: acceptLegacyChecksum)
        let logger = self.logger
        let logged = LockedBox(0)
        let report = try ingestor.ingest(path: path) { p in
            progress?(p)
            // A debug line at every tenth of the file.
            let tenth = p.fileSize > 0 ? p.bytesRead * 10 / p.fileSize : 0
            if logged.withValue({ last in defer { last = max(last, tenth) }; return tenth > last }) {
                logger.debug("ingesting", metadata: ["file": "\(path)", "records": "\(p.records)", "percent": "\(tenth * 10)"])
            }
        }
        return try finish(report, inTransaction: result.value)
    }

    /// Imports a national list file the bridge parsed, with the same guarantees as a feed.
    public func importNationalList(_ list: NationalListFile) throws -> FeedOutcome {
        let (ingestor, result) = try ingestor(acceptLegacyChecksum: false)
        let report = try ingestor.ingest(nationalList: list)
        return try finish(report, inTransaction: result.value)
    }

    /// The feeds ingested so far, oldest first.
    public func feeds() throws -> [FeedLedger.Feed] { try onLedger(.none) { try FeedLedger(registry: $0).feeds() } }

    /// One feed by its row id or the bureau's feed id.
    public func feed(_ key: String) throws -> FeedLedger.Feed? { try onLedger(.none) { try FeedLedger(registry: $0).feed(key) } }

    /// The quarantined records of a feed (all feeds when nil).
    public func rejects(of key: String?) throws -> [FeedLedger.Reject] {
        try onLedger(key.map { .feed($0) } ?? .all) { try FeedLedger(registry: $0).rejects(of: key) }
    }

    /// The records that wait to be applied (a revocation before its record, an exit before its
    /// entry), with the feed and line they came in and why they wait; resident IDs masked.
    public func pendingRecords() throws -> [ParkedRecords.Pending] { try onLedger(.none) { try ParkedRecords(registry: $0).pending() } }

    /// Runs a ledger read on the registry, or on a slice of the store that holds it.
    private func onLedger<T>(_ rejects: LedgerRejects, _ body: (Registry) throws -> T) throws -> T {
        guard let slices else { return try body(registry) }
        return try slices.withLedgerSlice(rejects: rejects, body)
    }

    func ingestor(acceptLegacyChecksum: Bool) throws -> (FeedIngestor, LockedBox<DecisionMaterialiser.Summary?>) {
        var ingestor = FeedIngestor(registry: registry)
        ingestor.acceptLegacyChecksum = acceptLegacyChecksum
        ingestor.clock = clock
        let result = LockedBox<DecisionMaterialiser.Summary?>(nil)
        if let feedStore {
            // The PostgreSQL store queues the feed's list changes in its own transaction.
            ingestor.store = reevaluatingFeedStore?(clock.today(), result) ?? feedStore
            return (ingestor, result)
        }
        ingestor.onCommit = { db, report in try Self.queueListChanges(report) { try $0.enqueueListChanges(ofFeed: $1, feedID: $2, released: $3, in: db) } }
        if let rules = try activeRules.provider().rules {
            let registry = self.registry
            let today = clock.today()
            ingestor.beforeCommit = { db, report in
                guard !report.touchedSubjects.isEmpty else { return }
                result.value = try DecisionMaterialiser(rules: rules, registry: registry)
                    .materialise(touched: report.touchedSubjects, asOf: today, in: db)
            }
        }
        return (ingestor, result)
    }

    /// Logs the outcome; a feed too large to list its subjects is followed by a full re-evaluation.
    func finish(_ report: IngestReport, inTransaction: DecisionMaterialiser.Summary?) throws -> FeedOutcome {
        var outcome = FeedOutcome(report: report, reevaluation: inTransaction)
        metrics.ingested(report)
        var meta: Logger.Metadata = ["file": "\(report.file)", "outcome": "\(report.outcome.rawValue)",
                                     "feed": "\(report.bureau ?? "")/\(report.feedID ?? "")", "read": "\(report.read)",
                                     "rejected": "\(report.rejected)"]
        if report.outcome == .refused { meta["reason"] = "\(report.reason ?? "")" }
        logger.log(level: report.outcome == .refused ? .warning : .info, "feed ingested", metadata: meta)
        for reject in report.rejects {
            logger.notice("record quarantined", metadata: ["file": "\(report.file)", "line": "\(reject.line)",
                                                           "field": "\(reject.field ?? "")", "reason": "\(reject.reason)"])
        }
        if report.outcome == .ingested, report.touchedAll, feedStore == nil, let rules = try activeRules.provider().rules {
            let today = clock.today()
            let registry = self.registry
            outcome.reevaluation = try registry.write { db in
                try DecisionMaterialiser(rules: rules, registry: registry).materialiseAll(asOf: today, in: db)
            }
        }
        if let s = outcome.reevaluation {
            metrics.evaluated(s, by: .feed)
            logger.info("re-evaluated after feed", metadata: ["subjects": "\(s.subjectsEvaluated)", "decisions": "\(s.decisions)"])
        }
        return outcome
    }
}
