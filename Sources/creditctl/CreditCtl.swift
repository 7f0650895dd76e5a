import ArgumentParser

/// `creditctl`: the command line of the unified credit-code and joint-sanction engine.
@main
struct CreditCtl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "creditctl",
        abstract: "Unified credit-code registry and joint-sanction engine.",
        discussion: """
        Exit status: 0 success; 1 findings (invalid codes, failed checks, rejected records); \
        64 usage error; 65 bad input data; 74 I/O or database error.
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
            ServeCommand.self,
            PublishCommand.self,
            UsersCommand.self,
            SamplesCommand.self,
        ]
    )
}
