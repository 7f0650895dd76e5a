import ArgumentParser

/// Output formats every listing command understands.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case table, json, csv
}

/// Options shared by the commands that open the registry.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Registry database file.")
    var db: String = "credit.db"

    @Option(name: .long, help: "Output format: table, json or csv.")
    var format: OutputFormat = .table
}
