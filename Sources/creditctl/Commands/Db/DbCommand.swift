import ArgumentParser
import CreditRegistry
import Foundation
import PostgresStore

/// `creditctl db migrate|copy`: the registry on PostgreSQL (docs/scaling.md).
struct DbCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Create or upgrade a PostgreSQL registry, or copy a SQLite registry into one.",
        subcommands: [DbMigrate.self, DbCopy.self, DbBench.self]
    )

    /// `--db`, else `CREDIT_DB`, else nil.
    static func url(_ option: String?) -> String? {
        option ?? ProcessInfo.processInfo.environment["CREDIT_DB"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Connects to `text` (a `postgres://` URL), or exits 64 (bad URL) / 74 (unreachable).
    static func connect(_ text: String) throws -> PostgresSession {
        let location: PostgresLocation
        do { location = try PostgresLocation(url: text) } catch {
            Terminal.err("creditctl: \(error)\n")
            throw ExitCode(64)
        }
        do { return try PostgresSession.connect(to: location) } catch {
            Terminal.err("creditctl: \(error)\n")
            throw ExitCode(74)
        }
    }

    /// Runs `body`, turning a store error into its message and exit 74 (65 for a refused copy).
    static func reporting<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as PostgresStoreError {
            Terminal.err("creditctl: \(e)\n")
            switch e {
            case .targetNotEmpty, .unknownTable, .copyMismatch, .badCheckpointFile: throw ExitCode(65)
            default: throw ExitCode(74)
            }
        }
    }
}

struct DbMigrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or upgrade the registry schema in a PostgreSQL database (idempotent).",
        discussion: "The database is named by --db postgres://USER@HOST:PORT/DB (or postgresql://USER@/DB?host=SOCKETDIR), else by CREDIT_DB."
    )
    @Option(help: "PostgreSQL URL (default: env CREDIT_DB).") var db: String?
    @OptionGroup var logging: LoggingOptions

    func run() throws {
        CLILogging.bootstrap(level: logging.level)
        guard let url = DbCommand.url(db), PostgresLocation.isURL(url) else {
            throw ValidationError("db migrate needs a postgres:// URL (--db or CREDIT_DB); a SQLite registry migrates itself when opened")
        }
        let session = try DbCommand.connect(url)
        defer { session.close() }
        let applied = try DbCommand.reporting { try PostgresMigrations.migrate(session) }
        print(applied.isEmpty ? "up to date (\(PostgresMigrations.all.count) migrations)" : "applied: " + applied.joined(separator: ", "))
    }
}

struct DbCopy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a SQLite registry (and its audit log) into a PostgreSQL database, verified by counts and digests.",
        discussion: """
        Every table (and the audit log's signed checkpoints, into audit_checkpoint) is streamed with COPY in one PostgreSQL transaction; each table's row count and ordered SHA-256 \
        digest are computed again from PostgreSQL and compared with the SQLite side before committing. A target that \
        holds rows is refused (exit 65) unless --replace. The audit key file is not copied: every server is given \
        the same key with --audit-key.
        """
    )
    @Option(help: "The SQLite registry file.") var from: String = "credit.db"
    @Option(help: "The audit log's file (default: beside the registry, credit.db → credit.audit.db).") var audit: String?
    @Option(help: "The audit log's signed checkpoints (default: beside the registry, credit.db → credit.audit.checkpoints).")
    var checkpoints: String?
    @Option(help: "PostgreSQL URL (default: env CREDIT_DB).") var to: String?
    @Flag(help: "Empty the target's tables first (in the same transaction).") var replace = false
    @Option(name: .customLong("format"), help: "Output format: table or json.") var format: OutputFormat = .table
    @OptionGroup var logging: LoggingOptions

    func run() throws {
        CLILogging.bootstrap(level: logging.level)
        guard let url = DbCommand.url(to), PostgresLocation.isURL(url) else {
            throw ValidationError("db copy needs a postgres:// URL as --to (or CREDIT_DB)")
        }
        guard FileManager.default.fileExists(atPath: from) else {
            Terminal.err("creditctl: no registry at \(from)\n")
            throw ExitCode(74)
        }
        // The source is brought to this build's schema first, as any command that opens it would.
        _ = try Registry(path: from)
        let session = try DbCommand.connect(url)
        defer { session.close() }
        let files = AuditFiles(beside: from, key: nil)
        let copy = RegistryCopy(source: from, audit: audit ?? files.database, checkpoints: checkpoints ?? files.checkpoints)
        let outcome = try DbCommand.reporting { try copy.run(into: session, replace: replace) }
        switch format {
        case .json: print(JSON.pretty(outcome))
        default:
            print(TextTable.render(header: ["table", "rows", "sha256"], rows: outcome.tables.map { [$0.table, String($0.rows), $0.digest] }))
            let rate = outcome.seconds > 0 ? Int(Double(outcome.rows) / outcome.seconds) : outcome.rows
            print("copied \(outcome.rows) rows in \(String(format: "%.1f", outcome.seconds)) s (\(rate) rows/s), counts and digests verified")
        }
    }
}
