import ArgumentParser
import CreditOperations
import CreditRegistry
import Decisions
import CreditQuery
import Foundation
import Logging
import PostgresStore

/// Output formats every listing command understands.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case table, json, csv
}

/// Options shared by the commands that open the registry.
struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: "Registry: a SQLite file, or a postgres:// URL for the commands that run there (default: env CREDIT_DB, else credit.db).")
    var dbOption: String?

    /// The registry: `--db`, else `CREDIT_DB`, else `credit.db`.
    var db: String { PostgresOperations.database(dbOption) }

    @Option(name: .customLong("format"), help: "Output format: table, json or csv (default: table on a terminal, json when piped).")
    var formatOption: OutputFormat?

    @OptionGroup var logging: LoggingOptions

    @OptionGroup var audit: AuditKeyOptions

    /// The chosen format: tables for a person, JSON for a pipe unless told otherwise.
    var format: OutputFormat { formatOption ?? (Terminal.stdoutIsTTY ? .table : .json) }

    /// The use-cases over the registry at `--db`, created if missing (ingest, activation).
    func operations() throws -> CreditOperations { try OpenRegistry.operations(db, logging: logging, mustExist: false, auditKey: audit.auditKey) }

    /// ``operations()`` for a command whose use-cases also run on a PostgreSQL registry.
    func operations(orPostgres command: String) throws -> CreditOperations {
        try OpenRegistry.operations(db, logging: logging, mustExist: false, auditKey: audit.auditKey, postgres: true, command: command)
    }

    /// The use-cases over an existing registry: refuses (exit 74) to create an empty one by mistake.
    func existingOperations() throws -> CreditOperations { try OpenRegistry.operations(db, logging: logging, mustExist: true, auditKey: audit.auditKey) }

    /// ``existingOperations()`` for a command whose use-cases also run on a PostgreSQL registry.
    func existingOperations(orPostgres command: String) throws -> CreditOperations {
        try OpenRegistry.operations(db, logging: logging, mustExist: true, auditKey: audit.auditKey, postgres: true, command: command)
    }
}

/// `--log-level`, shared by every command that logs.
struct LoggingOptions: ParsableArguments {
    @Option(name: .customLong("log-level"), help: "Log level on standard error: trace, debug, info, notice, warning, error, critical (JSON lines when piped).")
    var level: Logger.Level = .warning
}

/// `--audit-key`, shared by every command that opens the registry (and so its audit log).
struct AuditKeyOptions: ParsableArguments {
    @Option(name: .customLong("audit-key"),
            help: "Audit key file (default: beside the database, credit.db → credit.audit.key; or env CREDIT_AUDIT_KEY).")
    var auditKey: String?
}

/// Opening the registry the way every command does.
enum OpenRegistry {
    /// Every registry this process opened, for ``close()``.
    private static let opened = LockedBox<[CreditOperations]>([])

    /// Opens the registry at `path` and its audit log with the CLI's clock and logger.
    /// `CREDITCTL_TODAY=yyyy-MM-dd` fixes "today" (replays, tests); the audit key file is
    /// `auditKey`, else `CREDIT_AUDIT_KEY`, else the file beside the database.
    ///
    /// A `postgres://` URL opens the PostgreSQL registry for the commands that pass
    /// `postgres: true` (those whose use-cases run there) and is refused by the others.
    static func operations(_ path: String, logging: LoggingOptions, mustExist: Bool, auditKey: String? = nil,
                           postgres: Bool = false, command: String = "this command", readDB: String? = nil) throws -> CreditOperations {
        CLILogging.bootstrap(level: logging.level)
        if let readDB, !(PostgresLocation.isURL(path) && PostgresLocation.isURL(readDB)) {
            throw ValidationError("--read-db \(readDB): a read replica is a postgres:// URL, beside a postgres:// --db")
        }
        if PostgresLocation.isURL(path) {
            guard postgres else { throw PostgresOperations.refuse(command) }
            do {
                let ops = try PostgresOperations.open(path, auditKey: auditKey, readURL: readDB, clock: try clock(), logger: Logger(label: "creditctl"))
                opened.withValue { $0.append(ops) }
                return ops
            } catch let e as ExitCode { throw e } catch let e as ValidationError { throw e } catch {
                Terminal.err("creditctl: cannot open the registry: \(error)\n")
                throw ExitCode(74)
            }
        }
        if mustExist && !FileManager.default.fileExists(atPath: path) {
            Terminal.err("creditctl: no registry at \(path) (use --db, or ingest feeds first)\n")
            throw ExitCode(74)
        }
        let key = auditKey ?? ProcessInfo.processInfo.environment[AuditFiles.keyEnvironmentVariable].flatMap { $0.isEmpty ? nil : $0 }
        do {
            let ops = try CreditOperations.open(path: path, auditKey: key, busyTimeout: try busyTimeout(), clock: try clock(),
                                                logger: Logger(label: "creditctl"))
            opened.withValue { $0.append(ops) }
            return ops
        } catch let e as ExitCode { throw e } catch {
            Terminal.err("creditctl: cannot open the registry \(path): \(error)\n")
            throw ExitCode(74)
        }
    }

    /// Signs an audit checkpoint for each registry this process appended audit entries to (the
    /// command line's "shutdown"); a failure is reported, the exit status left as it was.
    static func close() {
        for ops in opened.withValue({ o in defer { o = [] }; return o }) {
            do { try ops.checkpointAudit() } catch {
                Terminal.err("creditctl: audit checkpoint not written: \(error)\n")
            }
        }
    }

    /// How long a write waits for another process's (seconds): `CREDITCTL_BUSY_TIMEOUT`, else 10.
    static func busyTimeout() throws -> Double {
        guard let text = ProcessInfo.processInfo.environment["CREDITCTL_BUSY_TIMEOUT"], !text.isEmpty else { return 10 }
        guard let seconds = Double(text), seconds >= 0 else { throw ValidationError("CREDITCTL_BUSY_TIMEOUT: not a number of seconds: \(text)") }
        return seconds
    }

    /// The system calendar, or the day `CREDITCTL_TODAY` names.
    static func clock() throws -> DayClock {
        guard let text = ProcessInfo.processInfo.environment["CREDITCTL_TODAY"], !text.isEmpty else { return .system }
        do { return .fixed(try Day(text)) } catch { throw ValidationError("CREDITCTL_TODAY: \(error.description)") }
    }
}
