import ArgumentParser
import CreditOperations
import CreditRegistry
import Foundation
import Logging
import PostgresStore

/// The use-cases over a PostgreSQL registry (`--db postgres://…` or `CREDIT_DB`): look-ups, the
/// credit report, name search, the batch check, authentication, the audit log, the ingest of
/// bureau feeds (with the decisions they change), the feed ledger's reading, rule activation,
/// rollback, refresh and diff, feedback, the officers' page's sessions, the public query and the
/// open-data publication run on PostgreSQL; every other use-case is
/// refused by the commands before it starts (docs/scaling.md lists what runs where).
enum PostgresOperations {
    /// `--db` when given, else `CREDIT_DB`, else `fallback`.
    static func database(_ option: String?, fallback: String = "credit.db") -> String {
        option ?? ProcessInfo.processInfo.environment["CREDIT_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? fallback
    }

    /// Opens the PostgreSQL registry at `url`; the audit key file is `auditKey`, else `CREDIT_AUDIT_KEY` (required).
    /// `readURL`: a read replica the look-ups, reports, searches, batch checks and the feed ledger read.
    static func open(_ url: String, auditKey: String?, readURL: String? = nil, clock: DayClock, logger: Logger) throws -> CreditOperations {
        let key = auditKey ?? ProcessInfo.processInfo.environment[AuditFiles.keyEnvironmentVariable].flatMap { $0.isEmpty ? nil : $0 }
        guard let key else {
            throw ValidationError("a PostgreSQL registry needs the audit key file: --audit-key FILE or CREDIT_AUDIT_KEY (the same for every server)")
        }
        let backend = try PostgresBackend.open(url: url, auditKey: key, readURL: readURL)
        var ops = try CreditOperations(registry: backend.standIn, clock: clock, logger: logger, reader: backend.reader, auditTrail: backend.audit)
        let decisions = PostgresDecisionStore(pool: backend.pool)
        ops.feedStore = PostgresFeedStore(pool: backend.pool)
        ops.decisionStore = decisions
        ops.reevaluatingFeedStore = { [pool = backend.pool] day, result in
            PostgresFeedStore(pool: pool, reevaluation: FeedReevaluation(decisions: decisions, asOf: day, result: result),
                              listChanges: CreditOperations.listChangesToQueue)
        }
        ops.slices = backend.slices
        ops.accountStore = PostgresAccounts(pool: backend.pool)
        ops.exchangeStore = PostgresExchange(pool: backend.pool)
        ops.nationalPageStore = { [pool = backend.pool] day, result, move in
            var store = PostgresFeedStore(pool: pool, reevaluation: FeedReevaluation(decisions: decisions, asOf: day, result: result),
                                          listChanges: CreditOperations.listChangesToQueue)
            store.cursorMove = move
            return store
        }
        ops.feedbackStore = PostgresFeedback(pool: backend.pool, decisions: decisions)
        ops.sessionStore = PostgresSessions(pool: backend.pool)
        ops.publicFacts = PostgresPublicFacts(pool: backend.readPool)
        try backend.seal(ops.registry)
        return ops
    }

    /// Refuses a command that does not run on PostgreSQL yet (exit 64).
    static func refuse(_ command: String) -> ExitCode {
        Terminal.err("creditctl: \(command) does not run on a PostgreSQL registry yet (there: serve, report, subject show, subject search, check, feeds list/show/rejects/pending, ingest, rules activate|rollback|refresh|status|explain|verify|diff, rules list --measures, bridge import-national|push|pull|status|reconcile, users, feedback, publish, db migrate, db copy, audit list|verify)\n")
        return ExitCode(64)
    }
}
