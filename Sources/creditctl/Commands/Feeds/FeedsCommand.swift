import ArgumentParser
import CreditRegistry
import CreditOperations
import Decisions
import CreditQuery
import FeedIngest

/// `creditctl feeds list|show|rejects|pending`: what was ingested, what was quarantined, and
/// what waits to be applied.
struct FeedsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feeds",
        abstract: "List ingested feeds, show one, list its quarantined records or the records that wait.",
        subcommands: [FeedsList.self, FeedsShow.self, FeedsRejects.self, FeedsPending.self]
    )
}

extension FeedLedger.Feed {
    var cells: [String] {
        ["\(id)", bureau, feedID, "\(sequence)", kind, file, "\(recordsRead)", "\(recordsNew)", "\(recordsChanged)",
         "\(recordsUnchanged)", "\(recordsRevoked)", "\(recordsRejected)", ingestedAt]
    }
    static let header = ["id", "bureau", "feed_id", "sequence", "kind", "file", "read", "new", "changed", "unchanged", "revoked", "rejected", "ingested_at"]
}

struct FeedsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List ingested feeds.")
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let rows = try global.existingOperations(orPostgres: "feeds list").feeds()
        switch global.format {
        case .json: rows.forEach { print(JSON.line($0)) }
        case .csv:
            print(FeedLedger.Feed.header.joined(separator: ","))
            rows.forEach { print($0.cells.map(CSV.field).joined(separator: ",")) }
        case .table: print(TextTable.render(header: FeedLedger.Feed.header, rows: rows.map(\.cells)))
        }
    }
}

struct FeedsShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one feed (by row id or feed id).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Row id (from `feeds list`) or the bureau's feed id.") var id: String

    func run() async throws {
        guard let row = try global.existingOperations(orPostgres: "feeds show").feed(id) else {
            Terminal.err("no feed '\(id)' in \(global.db)\n")
            throw ExitCode(1)
        }
        switch global.format {
        case .json: print(JSON.pretty(row))
        case .csv:
            print(FeedLedger.Feed.header.joined(separator: ","))
            print(row.cells.map(CSV.field).joined(separator: ","))
        case .table:
            for (h, c) in zip(FeedLedger.Feed.header, row.cells) { print("\(h.padding(toLength: 12, withPad: " ", startingAt: 0)) \(c)") }
            print("digest       \(row.digest)")
        }
    }
}

struct FeedsRejects: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rejects", abstract: "List the quarantined records of a feed.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Row id (from `feeds list`) or the bureau's feed id.") var id: String

    func run() async throws {
        let rows = try global.existingOperations(orPostgres: "feeds rejects").rejects(of: id)
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
