import ArgumentParser
import CreditRegistry
import GRDB

/// `creditctl feeds list|show|rejects`: what was ingested and what was quarantined.
struct FeedsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feeds",
        abstract: "List ingested feeds, show one, list its quarantined records.",
        subcommands: [FeedsList.self, FeedsShow.self, FeedsRejects.self]
    )
}

struct FeedRow: Codable {
    var id: Int64
    var bureau: String
    var feed_id: String
    var sequence: Int
    var kind: String
    var file: String
    var digest: String
    var ingested_at: String
    var records_read: Int
    var records_new: Int
    var records_changed: Int
    var records_unchanged: Int
    var records_revoked: Int
    var records_rejected: Int
    var seconds: Double

    init(row: Row) {
        id = row["id"]; bureau = row["bureau"]; feed_id = row["feed_id"]; sequence = row["sequence"]; kind = row["kind"]
        file = row["file"]; digest = row["digest"]; ingested_at = row["ingested_at"]; records_read = row["records_read"]
        records_new = row["records_new"]; records_changed = row["records_changed"]; records_unchanged = row["records_unchanged"]
        records_revoked = row["records_revoked"]; records_rejected = row["records_rejected"]; seconds = row["seconds"]
    }

    var cells: [String] {
        ["\(id)", bureau, feed_id, "\(sequence)", kind, file, "\(records_read)", "\(records_new)", "\(records_changed)",
         "\(records_unchanged)", "\(records_revoked)", "\(records_rejected)", ingested_at]
    }
    static let header = ["id", "bureau", "feed_id", "sequence", "kind", "file", "read", "new", "changed", "unchanged", "revoked", "rejected", "ingested_at"]
}

struct FeedsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List ingested feeds.")
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let registry = try global.existingRegistry()
        let rows = try registry.read { db in try Row.fetchAll(db, sql: "SELECT * FROM feed ORDER BY id").map(FeedRow.init(row:)) }
        switch global.format {
        case .json: rows.forEach { print(JSON.line($0)) }
        case .csv:
            print(FeedRow.header.joined(separator: ","))
            rows.forEach { print($0.cells.map(CSV.field).joined(separator: ",")) }
        case .table: print(TextTable.render(header: FeedRow.header, rows: rows.map(\.cells)))
        }
    }
}

struct FeedsShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one feed (by row id or feed id).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Row id (from `feeds list`) or the bureau's feed id.") var id: String

    func run() async throws {
        let registry = try global.existingRegistry()
        let key = id
        guard let row = try registry.read({ db in
            try Row.fetchOne(db, sql: "SELECT * FROM feed WHERE CAST(id AS TEXT) = ? OR feed_id = ? ORDER BY id LIMIT 1", arguments: [key, key])
                .map(FeedRow.init(row:))
        }) else {
            Terminal.err("no feed '\(id)' in \(global.db)\n")
            throw ExitCode(1)
        }
        switch global.format {
        case .json: print(JSON.pretty(row))
        case .csv:
            print(FeedRow.header.joined(separator: ","))
            print(row.cells.map(CSV.field).joined(separator: ","))
        case .table:
            for (h, c) in zip(FeedRow.header, row.cells) { print("\(h.padding(toLength: 12, withPad: " ", startingAt: 0)) \(c)") }
            print("digest       \(row.digest)")
        }
    }
}

struct FeedsRejects: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rejects", abstract: "List the quarantined records of a feed.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Row id (from `feeds list`) or the bureau's feed id.") var id: String

    struct RejectRow: Codable { var feed: String; var line: Int; var key: String?; var field: String?; var reason: String }

    func run() async throws {
        let registry = try global.existingRegistry()
        let key = id
        let rows = try registry.read { db in
            try Row.fetchAll(db, sql: """
                SELECT f.file, r.line, r.bureau_key, r.field, r.reason FROM reject r JOIN feed f ON f.id = r.feed
                WHERE CAST(f.id AS TEXT) = ? OR f.feed_id = ? ORDER BY r.feed, r.line
                """, arguments: [key, key]).map { RejectRow(feed: $0[0], line: $0[1], key: $0[2], field: $0[3], reason: $0[4]) }
        }
        switch global.format {
        case .json: rows.forEach { print(JSON.line($0)) }
        case .csv:
            print("feed,line,key,field,reason")
            rows.forEach { print([$0.feed, "\($0.line)", $0.key ?? "", $0.field ?? "", $0.reason].map(CSV.field).joined(separator: ",")) }
        case .table:
            print(TextTable.render(header: ["feed", "line", "key", "field", "reason"],
                                   rows: rows.map { [$0.feed, "\($0.line)", $0.key ?? "", $0.field ?? "", $0.reason] }))
        }
    }
}
