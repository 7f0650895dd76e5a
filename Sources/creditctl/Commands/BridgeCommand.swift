import ArgumentParser
import CreditRegistry
import NationalBridge

/// `creditctl bridge …`: the exchange with the national credit-sharing platform.
struct BridgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bridge",
        abstract: "Exchange with the national credit-information sharing platform.",
        subcommands: [ImportNational.self]
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
            let registry = try Registry(path: global.db)
            let report = try NationalListImport(registry: registry).importDishonestDebtors(path: file)
            try PostIngest.reevaluate(report, registry: registry, quiet: global.format != .table)
            if global.format == .json { print(JSON.line(report)) } else { print(FeedRunner.render(report)) }
            if report.outcome == .refused || report.rejected > 0 { throw ExitCode(1) }
        }
    }
}
