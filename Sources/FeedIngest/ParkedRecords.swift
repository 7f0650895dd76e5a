import CreditRegistry
import Foundation
import GRDB

/// Records that could not be applied when they arrived (table `parked`): listing them, and
/// applying those that have become applicable inside the transaction of the feed that made
/// them so, each with its original provenance (feed and line).
public struct ParkedRecords: Sendable {
    public let registry: Registry
    public init(registry: Registry) { self.registry = registry }

    /// A record that waits, as `feeds pending` lists it.
    public struct Pending: Sendable, Codable, Hashable, FetchableRecord {
        /// The file of the feed the record came in.
        public var feed: String
        public var bureau: String
        public var line: Int
        public var key: String
        /// The subject it is about (a resident ID masked).
        public var subject: String
        public var reason: String
        public var parkedAt: String

        public enum CodingKeys: String, CodingKey {
            case feed, bureau, line, key, subject, reason, parkedAt = "parked_at"
        }
    }

    /// Every record that waits, oldest feed first, in line order.
    public func pending() throws -> [Pending] {
        try registry.read { db in
            try Row.fetchAll(db, sql: """
                SELECT f.file, p.bureau, p.line, p.bureau_key, p.subject_code, p.reason, p.parked_at
                FROM parked p JOIN feed f ON f.id = p.feed ORDER BY p.feed, p.line, p.id
                """).map { row in
                Pending(feed: row[0], bureau: row[1], line: row[2], key: row[3], subject: PersonalData.masked(row[4]),
                        reason: row[5], parkedAt: row[6])
            }
        }
    }

    /// Applies every parked record whose condition now holds, repeating until none does (one
    /// may make another applicable). Returns how many were applied, the history records they became and the subjects touched.
    func release(in db: Database, recordedAt: String, rejectLimit: Int) throws -> ReleasedRecords {
        var out = ReleasedRecords()
        while true {
            var progressed = false
            let rows = try Row.fetchAll(db, sql: "SELECT id, feed, bureau, waits_for, wait_key, item FROM parked ORDER BY feed, line, id")
            for row in rows {
                let rowID: Int64 = row[0]
                guard let wait = ParkCondition(stored: row[3], key: row[4]) else {
                    throw StoredValueError(table: "parked", column: "wait_key", row: "\(rowID)", value: row[4])
                }
                guard try wait.holds(in: db) else { continue }
                let item: ParkedItem
                do { item = try ParkedItem.decode(row[5]) } catch {
                    throw StoredValueError(table: "parked", column: "item", row: "\(rowID)", value: nil)
                }
                try db.execute(sql: "DELETE FROM parked WHERE id = ?", arguments: [rowID])
                let writer = RecordWriter(registry: registry, db: db, feedRow: row[1], bureau: row[2], recordedAt: recordedAt,
                                          rejectLimit: rejectLimit)
                if try out.apply(item, with: writer) { progressed = true }
            }
            if !progressed { break }
        }
        return out
    }
}
