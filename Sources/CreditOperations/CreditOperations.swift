import CreditQuery
import CreditRegistry
import Decisions
import FeedIngest
import Logging

/// Every use-case the adapters perform — the CLI, the HTTP service and the national bridge call
/// these functions and nothing below them, so an invariant that spans targets (a feed and the
/// decisions it changes commit together; a failing rule set is never activated; every look-up
/// is audited) lives in exactly one place.
///
/// The functions are synchronous and may block on the database: an async caller runs them on a
/// thread of its own (the service uses a dedicated thread pool), never on Swift's cooperative
/// pool or an event loop.
///
/// ```swift
/// let ops = try CreditOperations.open(path: "credit.db")
/// let outcome = try ops.ingestFeed(path: "samples/feeds/commerce-0001-full.xml")
/// let report = try ops.report("91350200MA2XH1K70Y", options: .init(actor: "officer:sat-07"))
/// ```
///
/// ## Topics
/// - Feeds: ``ingestFeed(path:acceptLegacyChecksum:progress:)``, ``importNationalList(_:)``
/// - Rules: ``activateRules(paths:author:asOf:progress:)``, ``rollbackRules(to:author:asOf:)``,
///   ``refreshDecisions(asOf:progress:)``, ``ruleStatus()``, ``impact(of:asOf:subjectsPerBatch:)``
/// - Look-ups: ``report(_:options:)``, ``measures(_:asOf:viewer:)``, ``searchNames(_:limit:actor:)``,
///   ``batchCheck(input:output:options:actor:progress:)``
/// - Audit: ``recordAudit(_:)``, ``verifyAudit()``, ``auditEntries(subject:limit:)``, ``checkpointAudit()``
///
/// A use-case that meets a database locked by another writer beyond the busy timeout throws
/// ``OperationError/busy(_:)`` (the CLI exits 74, the service answers 503): look-ups read the
/// registry from a snapshot and write their audit entries to the audit log's own file, so they
/// meet it only when another process holds the audit file.
public struct CreditOperations: Sendable {
    public let registry: Registry
    /// The audit log, in its own database file beside the registry's.
    public let audit: AuditLog
    /// Where "today" comes from (tests fix it).
    public let clock: DayClock
    public let logger: Logger
    /// Where the use-cases count feeds, records, evaluations and audit commits.
    public private(set) var metrics: OperationMetrics
    let activeRules: ActiveRuleCache
    /// Where the look-up use-cases read (the SQLite registry unless another store is given).
    public let reader: any RegistryReading
    /// Where audit entries go (``audit`` unless another store is given).
    public let auditTrail: any AuditRecording
    /// Where feeds are written when not into ``registry`` (the PostgreSQL backend's store).
    package var feedStore: (any FeedStore)?
    /// The feed store of one ingest that also brings the decisions of the feed's touched subjects
    /// up to date inside the feed's transaction, as of the day given, reporting what it did into
    /// the box given (the PostgreSQL backend's); when nil, ``feedStore`` changes facts only.
    package var reevaluatingFeedStore: (@Sendable (Day, LockedBox<DecisionMaterialiser.Summary?>) -> any FeedStore)?
    /// Where rule-set versions and decisions live when not in ``registry`` (the PostgreSQL backend's).
    package var decisionStore: (any DecisionStore)?
    /// Where the report, the batch check and the feed ledger read when the registry lives in
    /// another store (the PostgreSQL backend): slices of it, judged by the same code as on SQLite.
    package var slices: (any RegistrySlicing)?
    /// Where accounts are kept when not in ``registry`` (the PostgreSQL backend's `account` table).
    package var accountStore: (any AccountKeeping)?
    /// Where the exchange's outbox, sender state and list cursors live when not in ``registry``
    /// (the PostgreSQL backend's).
    package var exchangeStore: (any ExchangeKeeping)?
    /// The feed store of one national-list page pulled from a peer: ``reevaluatingFeedStore``'s,
    /// moving the list's cursor inside the page's transaction (the PostgreSQL backend's).
    package var nationalPageStore: (@Sendable (Day, LockedBox<DecisionMaterialiser.Summary?>, NationalCursorMove) -> any FeedStore)?
    /// Where feedback is appended and read when not in ``registry`` (the PostgreSQL backend's).
    package var feedbackStore: (any FeedbackKeeping)?
    /// Where the officers' page's sessions are kept so that every server of the database shares
    /// them (the PostgreSQL backend's); nil: each server keeps its own in memory.
    package var sessionStore: (any SessionKeeping)?
    /// Where the public query and the publication read when the registry lives in another store
    /// (the PostgreSQL backend's); nil: ``registry``.
    package var publicFacts: (any PublicFactsReading)?

    /// Uses an open registry, creating the decision tables if they are missing, and `audit`
    /// (default: the log beside the registry's file, in memory for a registry in memory).
    ///
    /// `reader` and `auditTrail` put the look-ups and the audit log in another store (the
    /// PostgreSQL backend); the use-cases that have no such store yet keep using `registry`.
    public init(registry: Registry, audit: AuditLog? = nil, clock: DayClock = .system,
                logger: Logger = Logger(label: "credit.operations"),
                reader: (any RegistryReading)? = nil, auditTrail: (any AuditRecording)? = nil) throws {
        try DecisionSchema.migrate(registry)
        try AccountStore.migrate(registry)
        try ExchangeSchema.migrate(registry)
        self.registry = registry
        let audit = try audit ?? AuditLog.open(beside: registry)
        self.audit = audit
        self.clock = clock
        self.logger = logger
        metrics = OperationMetrics()
        let activeRules = ActiveRuleCache(registry: registry)
        self.activeRules = activeRules
        self.reader = reader ?? SQLiteRegistryReading(registry: registry, activeRules: activeRules)
        self.auditTrail = auditTrail ?? audit
    }

    /// The same operations counting into `metrics` (the service exports its own registry's).
    public func reportingMetrics(to metrics: OperationMetrics) -> CreditOperations {
        var copy = self
        copy.metrics = metrics
        return copy
    }

    /// Opens (creating and migrating if needed) the registry at `path` and its audit log beside
    /// it (``AuditFiles``); `auditKey` overrides the key file's path. `busyTimeout` is how long a
    /// write to the audit log waits for another process's before ``OperationError/busy(_:)``.
    public static func open(path: String, auditKey: String? = nil, busyTimeout: Double = 10,
                            auditPolicy: AuditLog.CheckpointPolicy = .init(),
                            clock: DayClock = .system, logger: Logger = Logger(label: "credit.operations")) throws -> CreditOperations {
        let registry = try Registry(path: path)
        let audit = try OperationError.mappingBusy(.audit) {
            try AuditLog.open(beside: registry, key: auditKey, busyTimeout: busyTimeout, policy: auditPolicy)
        }
        return try CreditOperations(registry: registry, audit: audit, clock: clock, logger: logger)
    }

    /// The day a use-case describes: the one asked for, else today.
    func day(_ asOf: Day?) -> Day { asOf ?? clock.today() }
}
