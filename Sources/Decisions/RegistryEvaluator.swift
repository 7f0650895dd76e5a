import CreditRegistry
import RuleEngine
import GRDB

/// Evaluates a rule set against subjects of the registry, one at a time: gathers a subject's
/// facts and those of its related subjects (the organisations it serves, whose measures may
/// extend to it, and its key persons when rules read them) as known on the day.
///
/// ```swift
/// let ds = try RegistryEvaluator(rules: rules, registry: registry).decisions(for: code, asOf: .today())
/// ```
public struct RegistryEvaluator: Sendable {
    public let rules: CompiledRuleSet
    public let registry: Registry

    public init(rules: CompiledRuleSet, registry: Registry) {
        self.rules = rules
        self.registry = registry
    }

    /// The subject's facts and its related subjects' facts as known on `asOf`.
    public func context(for code: String, asOf: Day, in db: Database) throws -> (own: SubjectFacts, related: [SubjectFacts])? {
        guard var own = try registry.facts(of: code, asOf: asOf, in: db) else { return nil }
        var codes = Set(own.roles.map(\.from))
        if rules.readsRelatedFacts { codes.formUnion(own.keyPersons.map(\.to)) }
        codes.remove(code)
        var related = try codes.sorted().compactMap { try registry.facts(of: $0, asOf: asOf, in: db) }
        try VerificationStore.attach(to: &own, asOf: asOf, in: db)
        for i in related.indices { try VerificationStore.attach(to: &related[i], asOf: asOf, in: db) }
        return (own, related)
    }

    /// Decisions in force on `asOf` for the subject `code` (registry key), in canonical order.
    public func decisions(for code: String, asOf: Day, in db: Database) throws -> [Decision] {
        guard let (own, related) = try context(for: code, asOf: asOf, in: db) else { return [] }
        return rules.decisions(for: code, own: own, related: related, asOf: asOf)
    }

    /// ``decisions(for:asOf:in:)`` in its own read transaction.
    public func decisions(for code: String, asOf: Day) throws -> [Decision] {
        try registry.read { db in try decisions(for: code, asOf: asOf, in: db) }
    }

    /// Why each rule fired or did not for `code` on `asOf`, and for a person, the evaluation
    /// of each organisation it serves (whose measures may extend to it).
    public func explain(_ code: String, asOf: Day) throws -> [Explanation] {
        try registry.read { db in
            guard let (own, related) = try context(for: code, asOf: asOf, in: db) else { return [] }
            var out = [rules.explain(own, asOf: asOf, related: related)]
            for r in related where r.keyPersons.contains(where: { $0.to == code }) {
                out.append(rules.explain(r, asOf: asOf, related: [own]))
            }
            return out
        }
    }
}
