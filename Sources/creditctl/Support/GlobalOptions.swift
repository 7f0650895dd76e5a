import ArgumentParser

/// Output formats every listing command understands.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case table, json, csv
}

/// Options shared by the commands that open the registry.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Registry database file.")
    var db: String = "credit.db"

    @Option(name: .customLong("format"), help: "Output format: table, json or csv (default: table on a terminal, json when piped).")
    var formatOption: OutputFormat?

    /// The chosen format: tables for a person, JSON for a pipe unless told otherwise.
    var format: OutputFormat { formatOption ?? (Terminal.stdoutIsTTY ? .table : .json) }
}
