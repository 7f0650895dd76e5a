import CreditRegistry
import Decisions
import FeedIngest

/// Bringing the decisions of a feed's touched subjects (and those related to them) up to date
/// inside the feed's PostgreSQL transaction, as the SQLite ingest does: the feed and the
/// decisions it changes commit together. A feed too large to list its subjects re-evaluates the
/// whole registry, in the same transaction.
public struct FeedReevaluation: Sendable {
    let decisions: PostgresDecisionStore
    let asOf: Day
    let result: LockedBox<DecisionMaterialiser.Summary?>

    /// Re-evaluates with the rule set active on `asOf`'s feed; `result` receives what it did
    /// (nil when no rule set is active or the feed touched no subject).
    public init(decisions: PostgresDecisionStore, asOf: Day, result: LockedBox<DecisionMaterialiser.Summary?>) {
        self.decisions = decisions; self.asOf = asOf; self.result = result
    }

    /// Runs in the feed's transaction after its records, holding the rule set's lock shared
    /// (other feeds go on; an activation waits, or is waited for).
    func run(_ statements: PipelinedStatements, report: IngestReport) throws {
        guard report.touchedAll || !report.touchedSubjects.isEmpty else { return }
        try statements.query("SELECT pg_advisory_xact_lock_shared(\(PostgresDecisionStore.lockKey))", "wait for a rule activation")
        guard let rules = try decisions.activeRuleSet({ try statements.query($0, $1) }) else { return }
        let materialiser = PostgresMaterialiser(rules: rules, statements: statements)
        result.value = report.touchedAll ? try materialiser.materialiseAll(asOf: asOf)
                                         : try materialiser.materialise(touched: report.touchedSubjects, asOf: asOf)
    }
}
