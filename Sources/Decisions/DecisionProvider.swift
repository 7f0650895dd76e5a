import CreditRegistry
import RuleEngine
import GRDB

/// Where the measures in force for a subject come from.
///
/// The default, ``TableDecisionProvider``, reads the materialised `decision` table. The rule
/// engine plugs in its own provider to evaluate past dates on the fly.
///
/// ```swift
/// let measures = try registry.read { db in
///     try TableDecisionProvider().decisions(for: "91350100M000100Y43", asOf: Day.today(), in: db)
/// }
/// ```
public protocol DecisionProvider: Sendable {
    /// The decisions in force for `code` on `asOf`, in a stable order.
    func decisions(for code: String, asOf: Day, in db: Database) throws -> [StoredDecision]
}

/// Reads the `decision` table, keeping the rows with `valid_from <= asOf < valid_until`.
///
/// - warning: the table holds what the active rule set decided on its evaluation day; for dates
///   before that day a rule-engine provider gives the faithful answer.
public struct TableDecisionProvider: DecisionProvider {
    public init() {}

    public func decisions(for code: String, asOf: Day, in db: Database) throws -> [StoredDecision] {
        // Bound and stepped through SQLite's C interface (see `Registry.lookup`): most subjects
        // have no decision, and a GRDB cursor cost more than the probe that finds none.
        let statement = try db.cachedStatement(sql: """
            SELECT \(StoredDecision.columns) FROM decision
            WHERE subject_code = ?1 AND valid_from <= ?2 AND (valid_until IS NULL OR valid_until > ?2)
            ORDER BY kind DESC, department, measure, valid_from
            """)
        statement.bind(1, code); statement.bind(2, asOf)
        var found: [StoredDecision] = []
        while try statement.step(db) {
            do { found.append(try StoredDecision(columnsOf: statement)) } catch { statement.finish(); throw error }
        }
        return found
    }
}
