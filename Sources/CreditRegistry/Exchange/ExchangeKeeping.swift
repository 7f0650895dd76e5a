import Foundation

/// Where the exchange's outbox, the sender's state per peer and the cursors of the national lists
/// live when the registry is not a SQLite file (the PostgreSQL backend): the same reads and
/// writes as ``Outbox``, ``ExchangeCursor`` and ``ListChange/localState(in:)`` on SQLite, each
/// call in one transaction.
public protocol ExchangeKeeping: Sendable {
    /// The oldest unacknowledged messages, in sequence order.
    func pending(limit: Int) throws -> [OutboxMessage]
    /// Records that messages are about to be sent (a crash after this resends them).
    func markSent(_ sequences: [Int64]) throws
    /// Marks messages acknowledged with the receiver's status and clears the peer's failures.
    func acknowledge(_ results: [(sequence: Int64, status: String)], peer: String) throws
    /// Records a failed attempt; returns the number of consecutive failures.
    func recordFailure(peer: String, error: String, nextAttemptAt: Date) throws -> Int
    /// Counts for `bridge status`.
    func status() throws -> OutboxStatus
    /// The stored cursor of a national list pulled from a peer; nil before the first page.
    func cursor(peer: String, list: String) throws -> (cursor: String, complete: Bool, pages: Int)?
    /// Moves a cursor on its own (a page whose rows were applied under it before).
    func advance(_ move: NationalCursorMove) throws
    /// Per list, the state lines of the city's own list entries and how many are in force.
    func localListState() throws -> [String: (lines: [String], inForce: Int)]
    /// Waits until no other sender of this database delivers to `peer`, and keeps the others
    /// waiting until the hold is released (or the process ends).
    func holdSender(peer: String) throws -> any ExchangeSenderHold
}

/// A sender's exclusive hold on a peer's delivery (``ExchangeKeeping/holdSender(peer:)``).
public protocol ExchangeSenderHold: Sendable {
    /// Lets the next sender go.
    func release()
}

/// A national list's cursor moved by the page applied in the same transaction.
public struct NationalCursorMove: Sendable, Hashable {
    public var peer: String
    public var list: String
    public var from: String
    public var to: String
    public var complete: Bool

    public init(peer: String, list: String, from: String, to: String, complete: Bool) {
        self.peer = peer; self.list = list; self.from = from; self.to = to; self.complete = complete
    }
}
