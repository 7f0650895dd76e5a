import Foundation
import GRDB

/// The append-only, tamper-evident audit log: each entry carries the SHA-256 of its content
/// chained to the previous entry's hash, so editing or deleting any entry breaks the chain
/// from there on. ``verify()`` walks the chain.
///
/// ```swift
/// try AuditLog(registry: registry).append(actor: "officer:tax-01", action: "lookup", subject: code, detail: "report")
/// ```
public struct AuditLog: Sendable {
    public let registry: Registry

    public init(registry: Registry) { self.registry = registry }

    /// One entry of the log.
    public struct Entry: Sendable, Codable, Hashable, FetchableRecord {
        /// Columns are snake_case (`previous_hash`); JSON output keeps the property names.
        public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
        public var id: Int64
        public var at: String
        public var actor: String
        public var action: String
        public var subject: String?
        public var detail: String
        public var previousHash: String
        public var hash: String
    }

    /// An entry to be written (actor, action, subject, detail), for callers that write entries
    /// in batches (see ``AuditBatcher``).
    public struct Pending: Sendable, Hashable {
        public var actor: String
        public var action: String
        public var subject: String?
        public var detail: String
        public init(actor: String, action: String, subject: String?, detail: String) {
            self.actor = actor; self.action = action; self.subject = subject; self.detail = detail
        }
    }

    /// Appends pending entries, in order, inside an existing transaction (one read of the chain's
    /// end, then the chain continued in memory).
    public func append(_ entries: [Pending], in db: Database) throws {
        guard !entries.isEmpty else { return }
        var prev = try String.fetchOne(db, sql: "SELECT hash FROM audit ORDER BY id DESC LIMIT 1") ?? Self.genesis
        let at = ISO8601DateFormatter().string(from: Date())
        let insert = try db.cachedStatement(sql: "INSERT INTO audit (at, actor, action, subject, detail, previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)")
        for e in entries {
            let h = Self.hash(previous: prev, at: at, actor: e.actor, action: e.action, subject: e.subject, detail: e.detail)
            try insert.execute(arguments: [at, e.actor, e.action, e.subject, e.detail, prev, h])
            prev = h
        }
    }

    /// The outcome of verifying the chain.
    public struct Verification: Sendable, Codable, Hashable {
        public var entries: Int
        /// The first entry whose hash or link does not match, if any.
        public var firstBrokenID: Int64?
        public var reason: String?
        public var isIntact: Bool { firstBrokenID == nil }
    }

    static let genesis = String(repeating: "0", count: 64)

    static func hash(previous: String, at: String, actor: String, action: String, subject: String?, detail: String) -> String {
        var bytes: [UInt8] = []
        for part in [previous, at, actor, action, subject ?? "", detail] {
            bytes.append(contentsOf: part.utf8)
            bytes.append(0x1F)
        }
        return Digest.sha256Hex(bytes)
    }

    /// Appends an entry in its own transaction.
    @discardableResult
    public func append(actor: String, action: String, subject: String? = nil, detail: String = "") throws -> Entry {
        try registry.write { db in try append(actor: actor, action: action, subject: subject, detail: detail, in: db) }
    }

    /// Appends an entry inside an existing transaction (so it commits with the change it records).
    @discardableResult
    public func append(actor: String, action: String, subject: String?, detail: String, in db: Database) throws -> Entry {
        let prev = try String.fetchOne(db, sql: "SELECT hash FROM audit ORDER BY id DESC LIMIT 1") ?? Self.genesis
        let at = ISO8601DateFormatter().string(from: Date())
        let h = Self.hash(previous: prev, at: at, actor: actor, action: action, subject: subject, detail: detail)
        try db.execute(sql: "INSERT INTO audit (at, actor, action, subject, detail, previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       arguments: [at, actor, action, subject, detail, prev, h])
        return Entry(id: db.lastInsertedRowID, at: at, actor: actor, action: action, subject: subject, detail: detail, previousHash: prev, hash: h)
    }

    /// Entries, newest last, optionally for one subject.
    public func entries(subject: String? = nil, limit: Int = 100) throws -> [Entry] {
        try registry.read { db in
            try Entry.fetchAll(db, sql: """
                SELECT * FROM (SELECT * FROM audit WHERE (?1 IS NULL OR subject = ?1) ORDER BY id DESC LIMIT ?2) ORDER BY id
                """, arguments: [subject, limit])
        }
    }

    /// Recomputes every hash and link from the first entry.
    public func verify() throws -> Verification {
        try registry.read { db in
            var prev = Self.genesis
            var n = 0
            let cursor = try Entry.fetchCursor(db, sql: "SELECT * FROM audit ORDER BY id")
            while let e = try cursor.next() {
                n += 1
                if e.previousHash != prev {
                    return Verification(entries: n, firstBrokenID: e.id, reason: "entry \(e.id) does not link to the previous entry (deleted or reordered)")
                }
                let expect = Self.hash(previous: prev, at: e.at, actor: e.actor, action: e.action, subject: e.subject, detail: e.detail)
                if expect != e.hash {
                    return Verification(entries: n, firstBrokenID: e.id, reason: "entry \(e.id) was altered: its content does not match its hash")
                }
                prev = e.hash
            }
            return Verification(entries: n, firstBrokenID: nil, reason: nil)
        }
    }
}
