import CreditRegistry
import GRDB

/// What was ingested and what was quarantined: the `feed` and `reject` tables, read for data
/// administrators.
///
/// ```swift
/// let ledger = FeedLedger(registry: registry)
/// try ledger.feed("SAMR-350200-20250630-FULL")?.recordsRejected
/// ```
public struct FeedLedger: Sendable {
    public let registry: Registry
    public init(registry: Registry) { self.registry = registry }

    /// One ingested feed (a row of `feed`); encodes with the column names.
    public struct Feed: Sendable, Codable, Hashable, FetchableRecord, TableRecord {
        public static let databaseTableName = "feed"
        public var id: Int64
        public var bureau: String
        public var feedID: String
        public var sequence: Int
        public var kind: String
        public var file: String
        public var digest: String
        public var ingestedAt: String
        public var recordsRead: Int
        public var recordsNew: Int
        public var recordsChanged: Int
        public var recordsUnchanged: Int
        public var recordsRevoked: Int
        public var recordsRejected: Int
        public var seconds: Double

        public enum CodingKeys: String, CodingKey, ColumnExpression {
            case id, bureau, feedID = "feed_id", sequence, kind, file, digest, ingestedAt = "ingested_at"
            case recordsRead = "records_read", recordsNew = "records_new", recordsChanged = "records_changed"
            case recordsUnchanged = "records_unchanged", recordsRevoked = "records_revoked"
            case recordsRejected = "records_rejected", seconds
        }
    }

    /// One quarantined record, with the file of its feed.
    public struct Reject: Sendable, Codable, Hashable, FetchableRecord {
        public var feed: String
        public var line: Int
        public var key: String?
        public var field: String?
        public var reason: String
    }

    /// Every feed, oldest first.
    public func feeds() throws -> [Feed] {
        try registry.read { db in try Feed.order(Feed.CodingKeys.id).fetchAll(db) }
    }

    /// The feed with this row id or bureau feed id (the first ingested when ids repeat across bureaus).
    public func feed(_ key: String) throws -> Feed? {
        try registry.read { db in
            try Feed.filter(sql: "CAST(id AS TEXT) = ? OR feed_id = ?", arguments: [key, key])
                .order(Feed.CodingKeys.id).fetchOne(db)
        }
    }

    /// The quarantined records of the feed `key` (row id or feed id), or of every feed, in line order.
    public func rejects(of key: String?) throws -> [Reject] {
        try registry.read { db in
            try Reject.fetchAll(db, sql: """
                SELECT f.file AS feed, r.line, r.bureau_key AS key, r.field, r.reason FROM reject r JOIN feed f ON f.id = r.feed
                WHERE ? IS NULL OR CAST(f.id AS TEXT) = ? OR f.feed_id = ? ORDER BY r.feed, r.line
                """, arguments: [key, key, key])
        }
    }
}
