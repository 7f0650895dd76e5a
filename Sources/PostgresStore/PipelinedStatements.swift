import CreditRegistry
import Foundation
import NIOCore
import PostgresNIO

/// The statements of one feed's transaction, written with as few round trips as the order of
/// reads allows: a write whose result nobody reads is kept, and the writes kept are sent together
/// as one anonymous code block (`DO`) — one round trip for hundreds of statements — before the
/// next read, at ``drain()``, or when ``window`` of them wait. A read therefore sees every write
/// made before it, as it would statement by statement. The history rows, heads and rejects of a
/// feed are kept apart in ``rows`` and go ahead of the block as one `unnest` statement per table.
///
/// Used from one thread (the feed's writer), like the session it wraps.
final class PipelinedStatements {
    let session: PostgresSession
    private var pending: [String] = []
    private var pendingBytes = 0
    /// The feed's history rows, head moves and rejects kept for the next block.
    var rows = FeedRowBatch()
    /// Statements kept before they are sent (bounds memory and the block's size).
    private let window = 2_000

    /// Inside a transaction, `standard_conforming_strings` is set on for it: the literals of
    /// ``SQLText`` rely on it (the default since PostgreSQL 9.1; a server may be set otherwise).
    init(session: PostgresSession, inTransaction: Bool = true) throws {
        self.session = session
        if inTransaction { try session.execute("SET LOCAL standard_conforming_strings = on", "keep quotes standard") }
    }

    /// Keeps a write; it is sent with the next block, before any read that follows it.
    func send(_ statement: SQLText, _ what: String) throws {
        pending.append(statement.sql)
        pendingBytes += statement.sql.utf8.count
        try drainIfFull()
    }

    /// Sends what is kept once the window is full (after a row is added to ``rows``).
    func drainIfFull() throws {
        if pending.count + rows.count >= window || pendingBytes >= 8 << 20 { try drain() }
    }

    /// Keeps an upsert of one of ``rows``' fact tables; a second one of a key already kept
    /// sends what is kept first (one statement cannot upsert one key twice).
    func upsert(_ table: WritableKeyPath<FeedRowBatch, FactUpserts>, key: String, _ row: JSONRow) throws {
        if !rows[keyPath: table].add(key: key, row) {
            try drain()
            _ = rows[keyPath: table].add(key: key, row)
        }
        try drainIfFull()
    }

    /// Sends the writes kept so far, then runs a read and returns its rows.
    func query(_ query: PostgresQuery, _ what: String) throws -> [PostgresRow] {
        try drain()
        return try session.query(query, what)
    }

    /// Sends every write kept, as one block; throws the server's error for the first that fails.
    func drain() throws {
        try rows.send(session)
        guard !pending.isEmpty else { return }
        let body = pending.joined(separator: ";\n") + ";"
        pending.removeAll(keepingCapacity: true)
        pendingBytes = 0
        // A dollar-quote tag that the block's own text does not contain.
        var tag = "$w$"
        while body.contains(tag) { tag = "$w\(UInt32.random(in: 0 ... .max))$" }
        try session.query(PostgresQuery(unsafeSQL: "DO \(tag) BEGIN\n\(body)\nEND \(tag)"), "write the feed's rows")
    }
}
