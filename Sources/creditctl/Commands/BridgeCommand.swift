import ArgumentParser
import CreditRegistry
import CreditOperations
import Decisions
import CreditQuery
import NationalBridge

/// `creditctl bridge …`: the exchange with the national credit-sharing platform.
struct BridgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bridge",
        abstract: "Exchange with the national credit-information sharing platform.",
        subcommands: [ImportNational.self, Push.self, Pull.self, Status.self, Reconcile.self, BenchSign.self]
    )

    /// `creditctl bridge import-national FILE`
    struct ImportNational: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-national",
            abstract: "Import a national dishonest-judgment-debtor list file (CSV) as list entries with provenance."
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The list file.") var file: String

        func run() async throws {
            let outcome = try NationalBridge(operations: try global.operations(orPostgres: "bridge import-national")).importDishonestDebtors(path: file)
            let report = outcome.report
            if let s = outcome.reevaluation, global.format == .table { FeedRunner.announce(s) }
            if global.format == .json { print(JSON.line(report)) } else { print(FeedRunner.render(report)) }
            if report.outcome == .refused || report.rejected > 0 { throw ExitCode(1) }
        }
    }
}
