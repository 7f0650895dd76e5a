import CreditRegistry
import FeedIngest

extension CreditOperations {
    /// The feed hook's rule: a bureau feed's list entries and exits — its own and those of
    /// parked records its transaction released — are queued for the national platform in that
    /// transaction (`enqueue` runs inside it); national lists came from the platform and are not
    /// sent back to it.
    static func queueListChanges(_ report: IngestReport, enqueue: (Outbox, String, String, [Int64]) throws -> Void) throws {
        guard let (bureau, feedID, released) = listChangesToQueue(report) else { return }
        try enqueue(Outbox(), bureau, feedID, released)
    }

    /// The rule of ``queueListChanges(_:enqueue:)`` for a store that queues in its own feed
    /// transaction (the PostgreSQL backend's): whose list changes to queue, or nil.
    package static func listChangesToQueue(_ report: IngestReport) -> (bureau: String, feedID: String, released: [Int64])? {
        guard report.outcome == .ingested, let bureau = report.bureau, let feedID = report.feedID else { return nil }
        guard bureau != "national" || !report.releasedRecords.isEmpty else { return nil }
        return (bureau, feedID, report.releasedRecords)
    }

    /// Counts of the outbox and the sender's state per peer, for `bridge status`.
    public func outboxStatus() throws -> OutboxStatus {
        if let exchangeStore { return try exchangeStore.status() }
        return try registry.read { db in try Outbox().status(in: db) }
    }
}
