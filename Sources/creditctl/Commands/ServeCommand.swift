import ArgumentParser
import CreditRegistry
import CreditOperations
import Decisions
import CreditQuery
import CreditService
import Hummingbird
import Logging
import PostgresStore

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

    @Option(name: .customLong("db"), help: "Registry: a SQLite file, or a postgres:// URL (default: env CREDIT_DB, else credit.db). On PostgreSQL the measures look-up, the report, name search, the batch check, accounts and the audit log are served; several servers may share one database.")
    var dbOption: String?
    @Option(name: .customLong("read-db"), help: "A read replica of the PostgreSQL --db (postgres:// URL): look-ups, reports, searches and batch checks read there, as of its last replayed commit; accounts, the audit log and writes stay on --db.")
    var readDB: String?
    var db: String { PostgresOperations.database(dbOption) }
    @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "Port to listen on.") var port: Int = 8080
    @Option(help: "Public query: requests a second per client address.") var publicRate: Double = RateLimit.default.perSecond
    @Option(help: "Public query: requests at once per client address.") var publicBurst: Int = RateLimit.default.burst
    @Flag(help: "Do not read the SQLite registry ahead into the page cache at start (the first searches then wait on disk).")
    var noWarmCache = false
    @OptionGroup var logging: LoggingOptions
    @OptionGroup var audit: AuditKeyOptions

    func run() async throws {
        let onPostgres = PostgresLocation.isURL(db)
        let ops = try OpenRegistry.operations(db, logging: logging, mustExist: true, auditKey: audit.auditKey, postgres: true, command: "serve", readDB: readDB)
        let store = TokenStore(accounts: ops)
        if !onPostgres, try ops.listAccounts().allSatisfy({ $0.revokedAt != nil }) {
            Terminal.err("creditctl: no live account: create one with creditctl users add NAME --role ROLE\n")
        }
        let shown = onPostgres ? (try? PostgresLocation(url: db).description) ?? "PostgreSQL" : db
        Terminal.err("serving \(shown) on http://\(host):\(port)  (GET /openapi.json)\n")
        let logger = Logger(label: "credit.service")
        if !onPostgres && !noWarmCache { warmUp(logger: logger) }
        let app = buildApplication(operations: ops, tokens: store, host: host, port: port,
                                   publicRateLimit: RateLimit(perSecond: publicRate, burst: publicBurst),
                                   sessions: SessionStore(keeper: ops.sessionStore), logger: logger)
        let checkpointer = AuditCheckpointer(operations: ops, logger: logger)
        // Audit checkpoints every minute while entries come in, and when the server stops.
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            group.addTask { await checkpointer.run(every: .seconds(ops.audit.policy.everySeconds)) }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    /// Reads the registry file ahead into the page cache on a thread of its own; the server
    /// answers meanwhile (from disk where a page is not cached yet).
    private func warmUp(logger: Logger) {
        PageCacheWarmUp.start(path: db) { outcome in
            switch outcome {
            case .advised(let bytes):
                logger.info("registry read ahead into the page cache", metadata: ["bytes": "\(bytes)"])
            case .tooLarge(let bytes, let budget):
                logger.notice("registry larger than half the memory: not read ahead", metadata: ["bytes": "\(bytes)", "budget": "\(budget)"])
            case .failed(let reason):
                logger.warning("registry not read ahead: \(reason)")
            }
        }
    }
}
