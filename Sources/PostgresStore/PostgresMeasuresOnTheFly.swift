import CreditQuery
import CreditRegistry
import Decisions
import PostgresNIO

/// Measures on a day other than the one PostgreSQL's decision table was evaluated for: the
/// active rule set evaluated on the fly over the subject's facts and its related subjects'
/// (``PostgresFactSnapshot``), as ``RuleDecisionProvider`` answers on SQLite.
struct PostgresMeasuresOnTheFly: Sendable {
    /// Compiles (and keeps) the active rule set.
    let rules: PostgresDecisionStore

    /// The measures in force for the subject `code` on `asOf`, read through `session`; nil when
    /// no rule set is active.
    func decisions(for code: String, asOf: Day, in session: PostgresSession) throws -> [StoredDecision]? {
        guard let compiled = try rules.activeRuleSet({ try session.query($0, $1) }) else { return nil }
        let snapshot = try PostgresFactSnapshot()
        try snapshot.load([code], from: try PipelinedStatements(session: session, inTransaction: false))
        let provider = RuleDecisionProvider(rules: compiled, registry: snapshot.registry, materialisedOn: nil)
        return try snapshot.read { db in try provider.decisions(for: code, asOf: asOf, in: db) }
    }
}
