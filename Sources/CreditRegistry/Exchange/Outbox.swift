import Foundation
import GRDB

/// A message waiting in (or delivered from) the outbox.
public struct OutboxMessage: Sendable, Hashable, Codable {
    /// The sender's sequence: gapless, in the order of the changes.
    public var sequence: Int64
    public var kind: ExchangePayload.Kind
    public var subjectCode: String?
    /// The payload's JSON text, exactly as it will be digested and signed.
    public var payload: String
    public var createdAt: String
    public var attempts: Int

    public init(sequence: Int64, kind: ExchangePayload.Kind, subjectCode: String?, payload: String, createdAt: String, attempts: Int) {
        self.sequence = sequence; self.kind = kind; self.subjectCode = subjectCode; self.payload = payload
        self.createdAt = createdAt; self.attempts = attempts
    }
}

/// What the sender has done so far, for `bridge status`.
public struct OutboxStatus: Sendable, Hashable, Codable {
    /// Never sent.
    public var queued: Int
    /// Sent at least once, not acknowledged yet.
    public var inFlight: Int
    public var acknowledged: Int
    /// Peers whose last attempt failed, with the error.
    public var peers: [PeerState]

    public init(queued: Int, inFlight: Int, acknowledged: Int, peers: [PeerState]) {
        self.queued = queued; self.inFlight = inFlight; self.acknowledged = acknowledged; self.peers = peers
    }

    public struct PeerState: Sendable, Hashable, Codable {
        public var peer: String
        public var failures: Int
        public var lastError: String?
        public var lastErrorAt: String?
        public var nextAttemptAt: String?
        public var lastAcknowledged: Int64
        public var failing: Bool { failures > 0 }

        public init(peer: String, failures: Int, lastError: String?, lastErrorAt: String?, nextAttemptAt: String?, lastAcknowledged: Int64) {
            self.peer = peer; self.failures = failures; self.lastError = lastError; self.lastErrorAt = lastErrorAt
            self.nextAttemptAt = nextAttemptAt; self.lastAcknowledged = lastAcknowledged
        }
    }
}

/// The outbox table: messages for the national platform, appended in the transaction of the
/// change that makes them, delivered in sequence order, marked when acknowledged (never deleted).
///
/// ```swift
/// try registry.write { db in
///     try FeedbackStore().append(f, in: db)
///     try Outbox().enqueue(.measureFeedback, subject: f.subjectCode, payload: json, in: db)
/// }
/// ```
public struct Outbox: Sendable {
    public init() {}

    static func now() -> String { ISO8601DateFormatter().string(from: Date()) }

    /// Appends a message; returns its sequence. `createdAt` (default now) lets a batch of
    /// messages share one timestamp instead of formatting the clock for each.
    @discardableResult
    public func enqueue(_ kind: ExchangePayload.Kind, subject: String?, payload: String, createdAt: String? = nil,
                        in db: Database) throws -> Int64 {
        try db.cachedStatement(sql: "INSERT INTO outbox (kind, subject_code, payload, created_at) VALUES (?, ?, ?, ?)")
            .execute(arguments: [kind.rawValue, subject, payload, createdAt ?? Self.now()])
        return db.lastInsertedRowID
    }

    /// The oldest unacknowledged messages, in sequence order.
    public func pending(limit: Int, in db: Database) throws -> [OutboxMessage] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT sequence, kind, subject_code, payload, created_at, attempts FROM outbox
            WHERE acknowledged_at IS NULL ORDER BY sequence LIMIT ?
            """), arguments: [limit]).map { row in
            guard let kind = ExchangePayload.Kind(rawValue: row["kind"]) else {
                throw StoredValueError(table: "outbox", column: "kind", row: "\(row["sequence"] as Int64)", value: row["kind"])
            }
            return OutboxMessage(sequence: row["sequence"], kind: kind, subjectCode: row["subject_code"], payload: row["payload"],
                                 createdAt: row["created_at"], attempts: row["attempts"])
        }
    }

    /// Every message, acknowledged or not, in sequence order (reconciliation, tests).
    public func all(in db: Database) throws -> [OutboxMessage] {
        try Row.fetchAll(db, sql: "SELECT sequence, kind, subject_code, payload, created_at, attempts FROM outbox ORDER BY sequence").map { row in
            OutboxMessage(sequence: row["sequence"], kind: ExchangePayload.Kind(rawValue: row["kind"]) ?? .acknowledgement,
                          subjectCode: row["subject_code"], payload: row["payload"], createdAt: row["created_at"], attempts: row["attempts"])
        }
    }

    /// Records that messages are about to be sent (before the bytes leave: a crash after this
    /// resends them, and the receiver recognises them as duplicates).
    public func markSent(_ sequences: [Int64], in db: Database) throws {
        let at = Self.now()
        let update = try db.cachedStatement(sql: "UPDATE outbox SET sent_at = ?, attempts = attempts + 1 WHERE sequence = ?")
        for s in sequences { try update.execute(arguments: [at, s]) }
    }

    /// Marks messages acknowledged with the receiver's status (`accepted`, `duplicate`) and
    /// clears the peer's failure state.
    public func acknowledge(_ results: [(sequence: Int64, status: String)], peer: String, in db: Database) throws {
        let at = Self.now()
        let update = try db.cachedStatement(sql: "UPDATE outbox SET acknowledged_at = ?, ack_status = ? WHERE sequence = ? AND acknowledged_at IS NULL")
        for r in results { try update.execute(arguments: [at, r.status, r.sequence]) }
        let last = results.map(\.sequence).max() ?? 0
        try db.execute(sql: """
            INSERT INTO outbox_peer (peer, failures, last_acknowledged) VALUES (?, 0, ?)
            ON CONFLICT (peer) DO UPDATE SET failures = 0, next_attempt_at = NULL,
                last_acknowledged = MAX(last_acknowledged, excluded.last_acknowledged)
            """, arguments: [peer, last])
    }

    /// Records a failed attempt; returns the number of consecutive failures.
    @discardableResult
    public func recordFailure(peer: String, error: String, nextAttemptAt: Date, in db: Database) throws -> Int {
        let formatter = ISO8601DateFormatter()
        try db.execute(sql: """
            INSERT INTO outbox_peer (peer, failures, last_error, last_error_at, next_attempt_at) VALUES (?1, 1, ?2, ?3, ?4)
            ON CONFLICT (peer) DO UPDATE SET failures = failures + 1, last_error = ?2, last_error_at = ?3, next_attempt_at = ?4
            """, arguments: [peer, error, Self.now(), formatter.string(from: nextAttemptAt)])
        return try Int.fetchOne(db, sql: "SELECT failures FROM outbox_peer WHERE peer = ?", arguments: [peer]) ?? 1
    }

    /// Counts for `bridge status`.
    public func status(in db: Database) throws -> OutboxStatus {
        let row = try Row.fetchOne(db, sql: """
            SELECT COALESCE(SUM(sent_at IS NULL AND acknowledged_at IS NULL), 0),
                   COALESCE(SUM(sent_at IS NOT NULL AND acknowledged_at IS NULL), 0),
                   COALESCE(SUM(acknowledged_at IS NOT NULL), 0) FROM outbox
            """)!
        let peers = try Row.fetchAll(db, sql: "SELECT * FROM outbox_peer ORDER BY peer").map { r in
            OutboxStatus.PeerState(peer: r["peer"], failures: r["failures"], lastError: r["last_error"], lastErrorAt: r["last_error_at"],
                                   nextAttemptAt: r["next_attempt_at"], lastAcknowledged: r["last_acknowledged"])
        }
        return OutboxStatus(queued: row[0], inFlight: row[1], acknowledged: row[2], peers: peers)
    }
}
