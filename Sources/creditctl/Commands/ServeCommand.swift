import ArgumentParser
import CreditRegistry
import CreditOperations
import Decisions
import CreditQuery
import CreditService
import Hummingbird
import Logging

/// `creditctl serve`: the HTTP API and the officers' page over the same use-cases as the CLI.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the JSON API (look-up, search, batch check, rules status) and the officers' page.",
        discussion: """
        Callers authenticate with the bearer token of an account (creditctl users add|import); roles officer, bank, \
        operator, administrator, auditor (docs/roles.md). A revoked or rotated token stops working within 5 seconds. \
        GET /openapi.json describes the API. Requests are logged at debug level, failures at error level (--log-level). \
        The public query (/public/, /public/v1/…) needs no token and is rate-limited per client address.
        """
    )

    @Option(help: "Registry database file.") var db: String = "credit.db"
    @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "Port to listen on.") var port: Int = 8080
    @Option(help: "Public query: requests a second per client address.") var publicRate: Double = RateLimit.default.perSecond
    @Option(help: "Public query: requests at once per client address.") var publicBurst: Int = RateLimit.default.burst
    @OptionGroup var logging: LoggingOptions
    @OptionGroup var audit: AuditKeyOptions

    func run() async throws {
        let ops = try OpenRegistry.operations(db, logging: logging, mustExist: true, auditKey: audit.auditKey)
        let store = TokenStore(accounts: ops)
        if try ops.listAccounts().allSatisfy({ $0.revokedAt != nil }) {
            Terminal.err("creditctl: no live account: create one with creditctl users add NAME --role ROLE\n")
        }
        Terminal.err("serving \(db) on http://\(host):\(port)  (GET /openapi.json)\n")
        let logger = Logger(label: "credit.service")
        let app = buildApplication(operations: ops, tokens: store, host: host, port: port,
                                   publicRateLimit: RateLimit(perSecond: publicRate, burst: publicBurst), logger: logger)
        let checkpointer = AuditCheckpointer(operations: ops, logger: logger)
        // Audit checkpoints every minute while entries come in, and when the server stops.
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            group.addTask { await checkpointer.run(every: .seconds(ops.audit.policy.everySeconds)) }
            defer { group.cancelAll() }
            try await group.next()
        }
    }
}
