import CreditRegistry
import RuleEngine

/// Which decision source a command reads.
enum Provider {
    /// Batch checks read the materialised table (fast path) unless a past or future day is asked
    /// for that the table was not evaluated on; then the active rules are evaluated per row.
    static func forBatch(registry: Registry, asOf: Day?) throws -> any DecisionProvider {
        guard let asOf else { return TableDecisionProvider() }
        let provider = try RuleDecisionProvider.active(registry: registry)
        return provider.usesTable(for: asOf) ? TableDecisionProvider() : provider
    }
}
