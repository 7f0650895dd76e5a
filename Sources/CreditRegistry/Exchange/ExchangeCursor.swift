import Foundation
import GRDB

/// How far each national list has been pulled from each peer (`exchange_cursor`).
public struct ExchangeCursor: Sendable {
    public init() {}

    /// The stored cursor and whether the list was complete at it; nil before the first pull.
    public func cursor(peer: String, list: String, in db: Database) throws -> (cursor: String, complete: Bool, pages: Int)? {
        try Row.fetchOne(db, sql: "SELECT cursor, complete, pages FROM exchange_cursor WHERE peer = ? AND list = ?", arguments: [peer, list])
            .map { ($0["cursor"], $0["complete"], $0["pages"]) }
    }

    /// Moves the cursor from `from` to `to` inside the page's transaction; throws when another
    /// writer moved it first (the page is then not applied).
    public func advance(peer: String, list: String, from: String, to: String, complete: Bool, in db: Database) throws {
        let current = try cursor(peer: peer, list: list, in: db)?.cursor ?? "0"
        guard current == from else { throw CursorMoved(peer: peer, list: list, expected: from, found: current) }
        try db.execute(sql: """
            INSERT INTO exchange_cursor (peer, list, cursor, complete, pages, updated_at) VALUES (?1, ?2, ?3, ?4, 1, ?5)
            ON CONFLICT (peer, list) DO UPDATE SET cursor = ?3, complete = ?4, pages = pages + 1, updated_at = ?5
            """, arguments: [peer, list, to, complete, ISO8601DateFormatter().string(from: Date())])
    }

    /// The cursor was not where the page starts.
    public struct CursorMoved: Error, CustomStringConvertible, Sendable {
        public var peer, list, expected, found: String
        public init(peer: String, list: String, expected: String, found: String) {
            self.peer = peer; self.list = list; self.expected = expected; self.found = found
        }
        public var description: String { "cursor of \(list) from \(peer) is at \(found), the page starts at \(expected)" }
    }
}
