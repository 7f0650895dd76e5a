import CreditRegistry
import FeedIngest
import Foundation

/// One page of a national list to apply: where it came from and where the cursor goes.
public struct NationalPageApplication: Sendable {
    public var peer: String
    public var list: String
    public var cursor: String
    public var nextCursor: String
    public var complete: Bool
    /// The page's rows, read by the bridge like a list file.
    public var rows: NationalListFile

    public init(peer: String, list: String, cursor: String, nextCursor: String, complete: Bool, rows: NationalListFile) {
        self.peer = peer; self.list = list; self.cursor = cursor; self.nextCursor = nextCursor; self.complete = complete; self.rows = rows
    }
}

/// The use-cases of the exchange with the national platform that the bridge's sender, puller
/// and reconciler call.
extension CreditOperations {
    /// The oldest unacknowledged outbox messages, in sequence order.
    public func pendingMessages(limit: Int) throws -> [OutboxMessage] {
        if let exchangeStore { return try exchangeStore.pending(limit: limit) }
        return try registry.read { db in try Outbox().pending(limit: limit, in: db) }
    }

    /// Records that messages are about to leave (a crash after this resends them).
    public func markSent(_ sequences: [Int64]) throws {
        if let exchangeStore { return try exchangeStore.markSent(sequences) }
        try registry.write { db in try Outbox().markSent(sequences, in: db) }
    }

    /// Records a peer's acknowledgement of messages (`accepted` or `duplicate`).
    public func acknowledge(_ results: [(sequence: Int64, status: String)], peer: String) throws {
        if let exchangeStore { return try exchangeStore.acknowledge(results, peer: peer) }
        try registry.write { db in try Outbox().acknowledge(results, peer: peer, in: db) }
    }

    /// Records a failed delivery; returns the consecutive failures so far.
    @discardableResult
    public func recordDeliveryFailure(peer: String, error: String, nextAttemptAt: Date) throws -> Int {
        logger.warning("delivery failed", metadata: ["peer": "\(peer)", "error": "\(error)"])
        if let exchangeStore { return try exchangeStore.recordFailure(peer: peer, error: error, nextAttemptAt: nextAttemptAt) }
        return try registry.write { db in try Outbox().recordFailure(peer: peer, error: error, nextAttemptAt: nextAttemptAt, in: db) }
    }

    /// The stored cursor of a national list pulled from a peer (`"0"` before the first page).
    public func nationalCursor(peer: String, list: String) throws -> (cursor: String, complete: Bool, pages: Int) {
        if let exchangeStore { return try exchangeStore.cursor(peer: peer, list: list) ?? ("0", false, 0) }
        return try registry.read { db in try ExchangeCursor().cursor(peer: peer, list: list, in: db) } ?? ("0", false, 0)
    }

    /// Applies one page of a national list through the national-list import (provenance
    /// `national`, quarantine, re-evaluation in the transaction) and moves the cursor in the
    /// same transaction. A page whose cursor is not the stored one is not applied (nil): pulled
    /// twice, it is applied once.
    public func applyNationalPage(_ page: NationalPageApplication) throws -> FeedOutcome? {
        guard try nationalCursor(peer: page.peer, list: page.list).cursor == page.cursor else { return nil }
        let move = NationalCursorMove(peer: page.peer, list: page.list, from: page.cursor, to: page.nextCursor, complete: page.complete)
        var (ingestor, result) = try ingestor(acceptLegacyChecksum: false)
        if let nationalPageStore { ingestor.store = nationalPageStore(clock.today(), result, move) }
        let listChanges = ingestor.onCommit
        ingestor.onCommit = { db, report in
            try listChanges?(db, report)
            try ExchangeCursor().advance(peer: page.peer, list: page.list, from: page.cursor, to: page.nextCursor,
                                         complete: page.complete, in: db)
        }
        let report = try ingestor.ingest(nationalList: page.rows)
        if report.outcome == .alreadyIngested, let exchangeStore {
            try exchangeStore.advance(move)
        } else if report.outcome == .alreadyIngested {
            // The same rows under this cursor were applied, the cursor not moved with them
            // (never by this code; kept safe for databases written otherwise).
            try registry.write { db in
                try ExchangeCursor().advance(peer: page.peer, list: page.list, from: page.cursor, to: page.nextCursor, complete: page.complete, in: db)
            }
        }
        return try finish(report, inTransaction: result.value)
    }

    /// Holds the delivery to `peer` for one sender of this database at a time: a second sender
    /// waits until the first releases it (on SQLite the bridge is one process and nothing waits).
    public func holdSender(peer: String) throws -> (any ExchangeSenderHold)? {
        try exchangeStore?.holdSender(peer: peer)
    }

    /// Per list, the state lines of the city's own list entries and how many are in force.
    public func localListState() throws -> [String: (lines: [String], inForce: Int)] {
        if let exchangeStore { return try exchangeStore.localListState() }
        return try registry.read { db in try ListChange.localState(in: db) }
    }
}
