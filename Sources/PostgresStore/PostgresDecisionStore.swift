import CreditRegistry
import Decisions
import Foundation
import PostgresNIO
import RuleEngine

/// Rule-set versions and materialised decisions in the PostgreSQL registry (``DecisionStore``):
/// activation, rollback and refresh each record the version and rewrite the decision table in
/// one transaction.
///
/// Activations of every process are serialised by a transaction-scoped advisory lock on the rule
/// set (never a local file); a feed that re-evaluates decisions holds the same lock shared while
/// it does (``FeedReevaluation``), so neither commits decisions of a rule set the other replaced,
/// and an activation reads no facts a feed commits meanwhile. Look-ups keep reading the decisions
/// committed before until the activation commits.
public final class PostgresDecisionStore: DecisionStore {
    public let pool: PostgresSessionPool
    /// The last rule set compiled from stored sources, by version (compiling takes milliseconds).
    private let compiled = LockedBox<(version: String, rules: CompiledRuleSet)?>(nil)

    /// The advisory-lock key of rule activation ("CREDRULE").
    static let lockKey: Int64 = 0x4352_4544_5255_4C45

    public init(pool: PostgresSessionPool) { self.pool = pool }

    package func versions() throws -> [RuleSetStore.Version] {
        try pool.with { session in
            try session.query("""
                SELECT version, activated_at, author, source_dir, active FROM ruleset ORDER BY activated_at COLLATE "C", version COLLATE "C"
                """, "read the rule-set versions").map { row in
                let (version, at, author, dir, active) = try row.decode((String, String, String, String, Int64).self)
                return RuleSetStore.Version(stored: version, activatedAt: at, author: author, sourceDirectory: dir, active: active != 0)
            }
        }
    }

    package func ruleSet(version: String) throws -> CompiledRuleSet? {
        try pool.with { session in try Self.ruleSet(version: version, compiled: compiled) { try session.query($0, $1) } }
    }

    package func activeRuleSet() throws -> CompiledRuleSet? {
        try pool.with { session in try activeRuleSet { try session.query($0, $1) } }
    }

    /// The active rule set as `query` reads it (a session's, or a transaction's statements).
    func activeRuleSet(_ query: (PostgresQuery, String) throws -> [PostgresRow]) throws -> CompiledRuleSet? {
        guard let version = try query("SELECT version FROM ruleset WHERE active = 1", "read the active rule-set version").first?
            .decode(String.self) else { return nil }
        return try Self.ruleSet(version: version, compiled: compiled, query)
    }

    private static func ruleSet(version: String, compiled: LockedBox<(version: String, rules: CompiledRuleSet)?>,
                                _ query: (PostgresQuery, String) throws -> [PostgresRow]) throws -> CompiledRuleSet? {
        if let c = compiled.value, c.version == version { return c.rules }
        guard let json = try query("SELECT sources FROM ruleset WHERE version = \(version)", "read a rule set's sources").first?
            .decode(String.self) else { return nil }
        guard let rules = try RuleSetSources.compile(json) else { return nil }
        compiled.value = (version, rules)
        return rules
    }

    package func subjectCount() throws -> Int {
        try pool.with { session in try session.query("SELECT count(*) FROM subject", "count subjects")[0].decode(Int.self) }
    }

    package func activate(_ loaded: LoadedRuleSet, rules: CompiledRuleSet, directory: String, author: String, asOf: Day,
                          progress: ((Int) -> Void)?) throws -> DecisionMaterialiser.Summary {
        let sources = try RuleSetSources.encode(loaded)
        return try exclusively { statements in
            let now = ISO8601DateFormatter().string(from: Date())
            try statements.send("UPDATE ruleset SET active = 0 WHERE active = 1", "deactivate the active rule set")
            try statements.send("""
                INSERT INTO ruleset (version, activated_at, author, source_dir, sources, active) VALUES (\(rules.version), \(now), \(author),
                    \(directory), \(sources), 1)
                ON CONFLICT (version) DO UPDATE SET activated_at = excluded.activated_at, author = excluded.author,
                    source_dir = excluded.source_dir, active = 1
                """, "record the rule set")
            return try PostgresMaterialiser(rules: rules, statements: statements).materialiseAll(asOf: asOf, progress: progress)
        }
    }

    package func reactivate(version: String, rules: CompiledRuleSet, author: String, asOf: Day) throws -> DecisionMaterialiser.Summary {
        try exclusively { statements in
            let now = ISO8601DateFormatter().string(from: Date())
            try statements.send("UPDATE ruleset SET active = 0 WHERE active = 1", "deactivate the active rule set")
            try statements.send("UPDATE ruleset SET active = 1, activated_at = \(now), author = \(author) WHERE version = \(version)",
                                "reactivate a rule set")
            return try PostgresMaterialiser(rules: rules, statements: statements).materialiseAll(asOf: asOf)
        }
    }

    package func refresh(asOf: Day, progress: ((Int) -> Void)?) throws -> (version: String, summary: DecisionMaterialiser.Summary)? {
        try exclusively { statements in
            guard let rules = try activeRuleSet({ try statements.query($0, $1) }) else { return nil }
            return (rules.version, try PostgresMaterialiser(rules: rules, statements: statements).materialiseAll(asOf: asOf, progress: progress))
        }
    }

    /// Runs `body` in one transaction holding the rule set's advisory lock exclusively.
    private func exclusively<T>(_ body: (PipelinedStatements) throws -> T) throws -> T {
        try pool.with { session in
            try session.transaction {
                let statements = try PipelinedStatements(session: session)
                try statements.query("SELECT pg_advisory_xact_lock(\(Self.lockKey))", "wait for other rule activations")
                return try body(statements)
            }
        }
    }
}
