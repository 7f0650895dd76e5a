import CreditRegistry
import FeedIngest

extension CreditOperations {
    /// The feed hook's rule: a bureau feed's list entries and exits are queued for the national
    /// platform in the feed's own transaction (`enqueue` runs inside it); national lists came
    /// from the platform and are not sent back to it.
    static func queueListChanges(_ report: IngestReport, enqueue: (Outbox, String, String) throws -> Void) throws {
        guard report.outcome == .ingested, let bureau = report.bureau, let feedID = report.feedID, bureau != "national" else { return }
        try enqueue(Outbox(), bureau, feedID)
    }

    /// Counts of the outbox and the sender's state per peer, for `bridge status`.
    public func outboxStatus() throws -> OutboxStatus {
        try registry.read { db in try Outbox().status(in: db) }
    }
}
