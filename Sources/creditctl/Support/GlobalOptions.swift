import ArgumentParser
import CreditOperations
import CreditRegistry
import Decisions
import CreditQuery
import Foundation
import Logging

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

    @OptionGroup var logging: LoggingOptions

    /// The chosen format: tables for a person, JSON for a pipe unless told otherwise.
    var format: OutputFormat { formatOption ?? (Terminal.stdoutIsTTY ? .table : .json) }

    /// The use-cases over the registry at `--db`, created if missing (ingest, activation).
    func operations() throws -> CreditOperations { try OpenRegistry.operations(db, logging: logging, mustExist: false) }

    /// The use-cases over an existing registry: refuses (exit 74) to create an empty one by mistake.
    func existingOperations() throws -> CreditOperations { try OpenRegistry.operations(db, logging: logging, mustExist: true) }
}

/// `--log-level`, shared by every command that logs.
struct LoggingOptions: ParsableArguments {
    @Option(name: .customLong("log-level"), help: "Log level on standard error: trace, debug, info, notice, warning, error, critical (JSON lines when piped).")
    var level: Logger.Level = .warning
}

/// Opening the registry the way every command does.
enum OpenRegistry {
    /// Opens the registry at `path` with the CLI's clock and logger. `CREDITCTL_TODAY=yyyy-MM-dd`
    /// fixes "today" (replays, tests).
    static func operations(_ path: String, logging: LoggingOptions, mustExist: Bool) throws -> CreditOperations {
        CLILogging.bootstrap(level: logging.level)
        if mustExist && !FileManager.default.fileExists(atPath: path) {
            Terminal.err("creditctl: no registry at \(path) (use --db, or ingest feeds first)\n")
            throw ExitCode(74)
        }
        do {
            return try CreditOperations.open(path: path, clock: try clock(), logger: Logger(label: "creditctl"))
        } catch let e as ExitCode { throw e } catch {
            Terminal.err("creditctl: cannot open the registry \(path): \(error)\n")
            throw ExitCode(74)
        }
    }

    /// The system calendar, or the day `CREDITCTL_TODAY` names.
    static func clock() throws -> DayClock {
        guard let text = ProcessInfo.processInfo.environment["CREDITCTL_TODAY"], !text.isEmpty else { return .system }
        do { return .fixed(try Day(text)) } catch { throw ValidationError("CREDITCTL_TODAY: \(error.description)") }
    }
}
