import ArgumentParser
import CreditRegistry
import Foundation

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

    /// Opens the registry a command reads, refusing (exit 74) to create an empty one by mistake.
    func existingRegistry() throws -> Registry {
        guard FileManager.default.fileExists(atPath: db) else {
            Terminal.err("creditctl: no registry at \(db) (use --db, or ingest feeds first)\n")
            throw ExitCode(74)
        }
        return try Registry(path: db)
    }
}
