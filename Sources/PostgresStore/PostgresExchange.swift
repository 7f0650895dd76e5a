import CreditRegistry
import Foundation
import PostgresNIO

/// The exchange's outbox, the sender's state per peer and the national lists' cursors in the
/// PostgreSQL registry: the tables and statements of SQLite's ``Outbox`` and ``ExchangeCursor``,
/// each call one transaction. Deliveries of every process are serialised by a session-level
/// advisory lock (``holdSender(peer:)``): the bridge is one singleton per deployment, and a
/// second `bridge push` started by mistake waits for the first instead of sending the same
/// messages again.
public struct PostgresExchange: ExchangeKeeping {
    public let pool: PostgresSessionPool

    public init(pool: PostgresSessionPool) { self.pool = pool }

    /// The advisory-lock key of the outbox's sender ("CREDBRDG").
    public static let senderLockKey: Int64 = 0x4352_4544_4252_4447

    static func now() -> String { ISO8601DateFormatter().string(from: Date()) }

    public func pending(limit: Int) throws -> [OutboxMessage] {
        try pool.with { session in
            try session.query("""
                SELECT sequence, kind, subject_code, payload, created_at, attempts FROM outbox
                WHERE acknowledged_at IS NULL ORDER BY sequence LIMIT \(limit)
                """, "read the pending outbox").map { row in
                let (sequence, kind, subject, payload, createdAt, attempts) = try row.decode((Int64, String, String?, String, String, Int64).self)
                guard let k = ExchangePayload.Kind(rawValue: kind) else {
                    throw StoredValueError(table: "outbox", column: "kind", row: "\(sequence)", value: kind)
                }
                return OutboxMessage(sequence: sequence, kind: k, subjectCode: subject, payload: payload, createdAt: createdAt, attempts: Int(attempts))
            }
        }
    }

    public func markSent(_ sequences: [Int64]) throws {
        guard !sequences.isEmpty else { return }
        try pool.with { session in
            try session.query("UPDATE outbox SET sent_at = \(Self.now()), attempts = attempts + 1 WHERE sequence = ANY(\(sequences))",
                              "mark messages sent")
        }
    }

    public func acknowledge(_ results: [(sequence: Int64, status: String)], peer: String) throws {
        let at = Self.now()
        try pool.with { session in
            try session.transaction {
                for r in results {
                    try session.query("""
                        UPDATE outbox SET acknowledged_at = \(at), ack_status = \(r.status) WHERE sequence = \(r.sequence) AND acknowledged_at IS NULL
                        """, "mark a message acknowledged")
                }
                let last = results.map(\.sequence).max() ?? 0
                try session.query("""
                    INSERT INTO outbox_peer (peer, failures, last_acknowledged) VALUES (\(peer), 0, \(last))
                    ON CONFLICT (peer) DO UPDATE SET failures = 0, next_attempt_at = NULL,
                        last_acknowledged = GREATEST(outbox_peer.last_acknowledged, EXCLUDED.last_acknowledged)
                    """, "clear the peer's failures")
            }
        }
    }

    public func recordFailure(peer: String, error: String, nextAttemptAt: Date) throws -> Int {
        let next = ISO8601DateFormatter().string(from: nextAttemptAt)
        return try pool.with { session in
            Int(try session.query("""
                INSERT INTO outbox_peer (peer, failures, last_error, last_error_at, next_attempt_at)
                VALUES (\(peer), 1, \(error), \(Self.now()), \(next))
                ON CONFLICT (peer) DO UPDATE SET failures = outbox_peer.failures + 1, last_error = EXCLUDED.last_error,
                    last_error_at = EXCLUDED.last_error_at, next_attempt_at = EXCLUDED.next_attempt_at
                RETURNING failures
                """, "record a failed delivery")[0].decode(Int64.self))
        }
    }

    public func status() throws -> OutboxStatus {
        try pool.with { session in
            try session.transaction {
                let (queued, inFlight, acknowledged) = try session.query("""
                    SELECT count(*) FILTER (WHERE sent_at IS NULL AND acknowledged_at IS NULL),
                           count(*) FILTER (WHERE sent_at IS NOT NULL AND acknowledged_at IS NULL),
                           count(*) FILTER (WHERE acknowledged_at IS NOT NULL) FROM outbox
                    """, "count the outbox")[0].decode((Int64, Int64, Int64).self)
                let peers = try session.query("""
                    SELECT peer, failures, last_error, last_error_at, next_attempt_at, last_acknowledged FROM outbox_peer ORDER BY peer COLLATE "C"
                    """, "read the peers' state").map { row in
                    let (peer, failures, error, errorAt, next, last) = try row.decode((String, Int64, String?, String?, String?, Int64).self)
                    return OutboxStatus.PeerState(peer: peer, failures: Int(failures), lastError: error, lastErrorAt: errorAt,
                                                  nextAttemptAt: next, lastAcknowledged: last)
                }
                return OutboxStatus(queued: Int(queued), inFlight: Int(inFlight), acknowledged: Int(acknowledged), peers: peers)
            }
        }
    }

    public func cursor(peer: String, list: String) throws -> (cursor: String, complete: Bool, pages: Int)? {
        try pool.with { session in
            try session.query("SELECT cursor, complete, pages FROM exchange_cursor WHERE peer = \(peer) AND list = \(list)",
                              "read the list's cursor").first.map { row in
                let (cursor, complete, pages) = try row.decode((String, Int64, Int64).self)
                return (cursor, complete != 0, Int(pages))
            }
        }
    }

    public func advance(_ move: NationalCursorMove) throws {
        try pool.with { session in
            try session.transaction {
                let statements = try PipelinedStatements(session: session)
                try Self.advance(move, statements: statements)
            }
        }
    }

    /// Moves the cursor from `move.from` to `move.to` in the transaction of `statements`; throws
    /// ``ExchangeCursor/CursorMoved`` when it is elsewhere (another writer moved it first).
    static func advance(_ move: NationalCursorMove, statements: PipelinedStatements) throws {
        let at = now()
        let moved = try statements.query("""
            INSERT INTO exchange_cursor AS c (peer, list, cursor, complete, pages, updated_at)
            SELECT \(move.peer), \(move.list), \(move.to), \(move.complete ? 1 : 0), 1, \(at) WHERE \(move.from) = '0'
            ON CONFLICT (peer, list) DO UPDATE SET cursor = EXCLUDED.cursor, complete = EXCLUDED.complete,
                pages = c.pages + 1, updated_at = EXCLUDED.updated_at WHERE c.cursor = \(move.from)
            RETURNING 1
            """, "move the list's cursor")
        guard moved.isEmpty else { return }
        if move.from != "0" {
            let updated = try statements.query("""
                UPDATE exchange_cursor SET cursor = \(move.to), complete = \(move.complete ? 1 : 0), pages = pages + 1, updated_at = \(at)
                WHERE peer = \(move.peer) AND list = \(move.list) AND cursor = \(move.from) RETURNING 1
                """, "move the list's cursor")
            guard updated.isEmpty else { return }
        }
        let found = try statements.query("SELECT cursor FROM exchange_cursor WHERE peer = \(move.peer) AND list = \(move.list)",
                                         "read the list's cursor").first?.decode(String.self) ?? "0"
        throw ExchangeCursor.CursorMoved(peer: move.peer, list: move.list, expected: move.from, found: found)
    }

    public func localListState() throws -> [String: (lines: [String], inForce: Int)] {
        let out = LockedBox<[String: (lines: [String], inForce: Int)]>([:])
        try pool.with { session in
            try session.forEachRow("""
                SELECT list, entry_key, subject_code, entered_on, exited_on FROM list_entry WHERE entry_key NOT LIKE 'national:%'
                """, "read the city's list entries") { row in
                let (list, key, subject, entered, exited) = try row.decode((String, String, String, String, String?).self)
                out.withValue { o in
                    o[list, default: ([], 0)].lines.append("\(key)|\(subject)|\(entered)|\(exited ?? "")")
                    if exited == nil { o[list, default: ([], 0)].inForce += 1 }
                }
            }
        }
        return out.value
    }

    public func holdSender(peer: String) throws -> any ExchangeSenderHold {
        // A connection of its own, outside the pool: the lock lives as long as it does.
        let session = try PostgresSession.connect(to: pool.location)
        do {
            try session.query("SELECT pg_advisory_lock(\(Self.senderLockKey))", "wait for the outbox's other sender")
        } catch {
            session.close()
            throw error
        }
        return SenderHold(session: session)
    }

    /// The sender's lock, held by its session until ``release()``.
    final class SenderHold: ExchangeSenderHold, @unchecked Sendable {
        private let session: PostgresSession
        init(session: PostgresSession) { self.session = session }
        func release() { session.close() }
    }
}
