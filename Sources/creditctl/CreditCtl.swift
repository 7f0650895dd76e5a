import ArgumentParser
import CreditOperations

/// `creditctl`: the command line of the unified credit-code and joint-sanction engine.
@main
struct CreditCtl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "creditctl",
        abstract: "Unified credit-code registry and joint-sanction engine.",
        discussion: """
        Exit status: 0 success; 1 findings (invalid codes, failed checks, rejected records); \
        64 usage error; 65 bad input data; 74 I/O or database error, or a database locked by another \
        writer past the busy timeout (try again). Environment: CREDIT_AUDIT_KEY (audit key file), \
        CREDIT_DB (the registry for --db: a SQLite file, or a postgres:// URL for serve, subject search, audit verify, db), \
        CREDITCTL_BUSY_TIMEOUT (seconds a write waits for another process's, default 10), \
        CREDITCTL_TODAY (fixes "today", yyyy-MM-dd).
        """,
        subcommands: [
            DemoCommand.self,
            CodeCommand.self,
            SubjectCommand.self,
            ReportCommand.self,
            CheckCommand.self,
            IngestCommand.self,
            FeedsCommand.self,
            FeedbackCommand.self,
            NationalCommand.self,
            RulesCommand.self,
            BridgeCommand.self,
            AuditCommand.self,
            DbCommand.self,
            ServeCommand.self,
            PublishCommand.self,
            UsersCommand.self,
            SamplesCommand.self,
        ]
    )

    /// Runs the command, then signs the audit checkpoint of what it appended; a database locked
    /// by another writer is exit 74 (EX_TEMPFAIL) with a message, not a failure of the command.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand { try await command.run() } else { try command.run() }
            OpenRegistry.close()
        } catch {
            OpenRegistry.close()
            if let e = error as? OperationError, case .busy = e {
                Terminal.err("creditctl: \(e)\n")
                exit(withError: ExitCode(74))
            }
            exit(withError: error)
        }
    }
}
