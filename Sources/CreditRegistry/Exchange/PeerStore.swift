import Foundation
import GRDB

/// The store of the reference peer (the national platform's stand-in): every message accepted
/// from each sender, de-duplicated by id, the last sequence per sender, the list state those
/// messages describe (for reconciliation), and a log of refusals. Its own SQLite file.
///
/// ```swift
/// let store = try PeerStore(path: "national.db")
/// let status = try store.receive(PeerStore.Incoming(id: "350200-000000000001", sender: "350200", sequence: 1, …))
/// ```
public final class PeerStore: Sendable {
    let queue: DatabaseQueue

    public init(path: String) throws {
        SQLiteProcess.configure()
        var config = Configuration()
        config.busyMode = .timeout(10)
        queue = try DatabaseQueue(path: path, configuration: config)
        var m = DatabaseMigrator()
        m.registerMigration("p1-peer") { db in
            try db.execute(sql: """
                CREATE TABLE peer_message (
                    id TEXT PRIMARY KEY,
                    sender TEXT NOT NULL,
                    sequence INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    subject TEXT,
                    payload TEXT NOT NULL,
                    envelope TEXT NOT NULL,
                    received_at TEXT NOT NULL,
                    UNIQUE (sender, sequence)
                );
                CREATE TABLE peer_sender (sender TEXT PRIMARY KEY, last_sequence INTEGER NOT NULL);
                CREATE TABLE peer_list_state (
                    sender TEXT NOT NULL,
                    reference TEXT NOT NULL,
                    list TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    entered_on TEXT,
                    exited_on TEXT,
                    PRIMARY KEY (sender, reference)
                ) WITHOUT ROWID;
                CREATE TABLE peer_refusal (
                    id INTEGER PRIMARY KEY,
                    sender TEXT,
                    message_id TEXT,
                    sequence INTEGER,
                    code TEXT NOT NULL,
                    detail TEXT NOT NULL,
                    at TEXT NOT NULL
                );
                """)
        }
        try m.migrate(queue)
    }

    /// A message that passed the envelope checks (version, receiver, digest, signature).
    public struct Incoming: Sendable {
        public var id: String
        public var sender: String
        public var sequence: Int64
        public var kind: ExchangePayload.Kind
        public var subject: String?
        public var payload: String
        public var envelope: String
        public init(id: String, sender: String, sequence: Int64, kind: ExchangePayload.Kind, subject: String?, payload: String, envelope: String) {
            self.id = id; self.sender = sender; self.sequence = sequence; self.kind = kind; self.subject = subject
            self.payload = payload; self.envelope = envelope
        }
    }

    /// What became of a message.
    public enum Outcome: Sendable, Equatable {
        case accepted, duplicate
        /// Refused with a protocol error code (`replayed-sequence`, `out-of-order-sequence`, `malformed`).
        case refused(code: String, detail: String)
    }

    /// Stores a message if its sequence is the sender's next one, applying it to the list state
    /// in the same transaction; recognises a duplicate; refuses a replay, a gap or a payload
    /// that does not parse (logged, nothing stored).
    public func receive(_ m: Incoming) throws -> Outcome {
        let at = ISO8601DateFormatter().string(from: Date())
        let outcome = try queue.write { db -> Outcome in
            let last = try Int64.fetchOne(db, sql: "SELECT last_sequence FROM peer_sender WHERE sender = ?", arguments: [m.sender]) ?? 0
            if m.sequence <= last {
                // A duplicate is the same message again; anything else under a stored sequence is a replay.
                let stored = try Row.fetchOne(db, sql: "SELECT sequence, kind, payload FROM peer_message WHERE id = ?", arguments: [m.id])
                if let stored, stored["sequence"] == m.sequence, stored["kind"] == m.kind.rawValue, stored["payload"] == m.payload { return .duplicate }
                return .refused(code: "replayed-sequence", detail: "sequence \(m.sequence) of \(m.sender) is already stored with other content (last \(last))")
            }
            guard m.sequence == last + 1 else {
                return .refused(code: "out-of-order-sequence", detail: "expected sequence \(last + 1) from \(m.sender), got \(m.sequence)")
            }
            do { try apply(m, in: db) } catch let e as DecodingError {
                return .refused(code: "malformed", detail: "payload of \(m.kind.rawValue) \(m.id): \(e)")
            }
            try db.execute(sql: """
                INSERT INTO peer_message (id, sender, sequence, kind, subject, payload, envelope, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [m.id, m.sender, m.sequence, m.kind.rawValue, m.subject, m.payload, m.envelope, at])
            try db.execute(sql: """
                INSERT INTO peer_sender (sender, last_sequence) VALUES (?1, ?2)
                ON CONFLICT (sender) DO UPDATE SET last_sequence = ?2
                """, arguments: [m.sender, m.sequence])
            return .accepted
        }
        if case .refused(let code, let detail) = outcome {
            try refuse(sender: m.sender, messageID: m.id, sequence: m.sequence, code: code, detail: detail)
        }
        return outcome
    }

    private func apply(_ m: Incoming, in db: Database) throws {
        guard let subject = m.subject else { return }
        switch m.kind {
        case .listEntry:
            let e = try ExchangePayload.decode(ExchangePayload.ListEntry.self, from: m.payload)
            try db.execute(sql: """
                INSERT INTO peer_list_state (sender, reference, list, subject, entered_on, exited_on) VALUES (?1, ?2, ?3, ?4, ?5, NULL)
                ON CONFLICT (sender, reference) DO UPDATE SET list = ?3, subject = ?4, entered_on = ?5, exited_on = NULL
                """, arguments: [m.sender, e.reference, e.list, subject, e.enteredOn])
        case .listExit:
            let e = try ExchangePayload.decode(ExchangePayload.ListExit.self, from: m.payload)
            try db.execute(sql: """
                INSERT INTO peer_list_state (sender, reference, list, subject, entered_on, exited_on) VALUES (?1, ?2, ?3, ?4, NULL, ?5)
                ON CONFLICT (sender, reference) DO UPDATE SET exited_on = ?5
                """, arguments: [m.sender, e.reference, e.list, subject, e.exitedOn])
        case .measureFeedback:
            _ = try ExchangePayload.decode(ExchangePayload.MeasureFeedback.self, from: m.payload)
        case .nationalListPage, .acknowledgement:
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "\(m.kind.rawValue) is not sent to the platform"))
        }
    }

    /// Logs a refusal (also those decided before the store: bad signature, unknown sender).
    public func refuse(sender: String?, messageID: String?, sequence: Int64?, code: String, detail: String) throws {
        try queue.write { db in
            try db.execute(sql: "INSERT INTO peer_refusal (sender, message_id, sequence, code, detail, at) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [sender, messageID, sequence, code, detail, ISO8601DateFormatter().string(from: Date())])
        }
    }

    /// The last sequence stored from a sender (0 when none).
    public func lastSequence(of sender: String) throws -> Int64 {
        try queue.read { db in try Int64.fetchOne(db, sql: "SELECT last_sequence FROM peer_sender WHERE sender = ?", arguments: [sender]) ?? 0 }
    }

    /// A stored message, as tests and reconciliation see it.
    public struct Stored: Sendable, Hashable {
        public var id: String
        public var sequence: Int64
        public var kind: String
        public var subject: String?
        public var payload: String
        public init(id: String, sequence: Int64, kind: String, subject: String?, payload: String) {
            self.id = id; self.sequence = sequence; self.kind = kind; self.subject = subject; self.payload = payload
        }
    }

    /// Every message stored from a sender, in sequence order.
    public func messages(from sender: String) throws -> [Stored] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT id, sequence, kind, subject, payload FROM peer_message WHERE sender = ? ORDER BY sequence",
                             arguments: [sender]).map { Stored(id: $0["id"], sequence: $0["sequence"], kind: $0["kind"], subject: $0["subject"], payload: $0["payload"]) }
        }
    }

    /// The refusals logged, oldest first: (code, message id).
    public func refusals() throws -> [(code: String, messageID: String?)] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT code, message_id FROM peer_refusal ORDER BY id").map { ($0["code"], $0["message_id"]) }
        }
    }

    /// Per list: the state lines `reference|subject|entered_on|exited_on` of a sender and how
    /// many references are in force.
    public func listState(of sender: String) throws -> [String: (lines: [String], inForce: Int)] {
        try queue.read { db in
            var out: [String: (lines: [String], inForce: Int)] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT list, reference, subject, entered_on, exited_on FROM peer_list_state WHERE sender = ?", arguments: [sender])
            while let r = try rows.next() {
                let list: String = r["list"]
                let exited: String? = r["exited_on"]
                let line = "\(r["reference"] as String)|\(r["subject"] as String)|\((r["entered_on"] as String?) ?? "")|\(exited ?? "")"
                out[list, default: ([], 0)].lines.append(line)
                if exited == nil { out[list, default: ([], 0)].inForce += 1 }
            }
            return out
        }
    }
}
