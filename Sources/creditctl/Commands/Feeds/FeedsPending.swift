import ArgumentParser
import CreditOperations
import FeedIngest

/// `creditctl feeds pending`: records that arrived before what they need (a revocation before
/// its record, an exit before its entry). Each is applied, with its original feed and line, in
/// the transaction of the feed that brings what it waits for.
struct FeedsPending: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pending", abstract: "List the records that wait to be applied.")
    @OptionGroup var global: GlobalOptions

    static let header = ["feed", "bureau", "line", "key", "subject", "reason", "parked_at"]

    func run() async throws {
        let rows = try global.existingOperations(orPostgres: "feeds pending").pendingRecords()
        let cells = rows.map { [$0.feed, $0.bureau, "\($0.line)", $0.key, $0.subject, $0.reason, $0.parkedAt] }
        switch global.format {
        case .json: rows.forEach { print(JSON.line($0)) }
        case .csv:
            print(Self.header.joined(separator: ","))
            cells.forEach { print($0.map(CSV.field).joined(separator: ",")) }
        case .table:
            if rows.isEmpty { print("no records wait to be applied") } else { print(TextTable.render(header: Self.header, rows: cells)) }
        }
    }
}
