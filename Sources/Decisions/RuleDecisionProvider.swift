import CreditRegistry
import RuleEngine
import GRDB

/// Measures in force for reports and batch checks: the materialised `decision` table for the
/// day it was evaluated, and the rule set evaluated on the fly for any other day ("which
/// measures applied on 2019-03-01?").
///
/// ```swift
/// let provider = try RuleDecisionProvider.active(registry: registry)
/// let builder = ReportBuilder(registry: registry, decisions: provider)
/// ```
public struct RuleDecisionProvider: DecisionProvider {
    public let rules: CompiledRuleSet?
    public let registry: Registry
    /// The day the table was materialised for (nil: empty table).
    public let materialisedOn: Day?

    public init(rules: CompiledRuleSet?, registry: Registry, materialisedOn: Day?) {
        self.rules = rules
        self.registry = registry
        self.materialisedOn = materialisedOn
    }

    /// The provider for the active rule set of `registry` (table only when none is active).
    public static func active(registry: Registry) throws -> RuleDecisionProvider {
        let rules = try RuleSetStore(registry: registry).activeRuleSet()
        let day = try registry.read { db in
            try Day.stored(try String.fetchOne(db, sql: "SELECT MAX(evaluated_on) FROM decision"), table: "decision", column: "evaluated_on", row: nil)
        }
        return RuleDecisionProvider(rules: rules, registry: registry, materialisedOn: day)
    }

    /// True when `asOf` is answered from the table (fast path for batch checks).
    public func usesTable(for asOf: Day) -> Bool { rules == nil || asOf == materialisedOn }

    public func decisions(for code: String, asOf: Day, in db: Database) throws -> [StoredDecision] {
        guard let rules, !usesTable(for: asOf) else {
            return try TableDecisionProvider().decisions(for: code, asOf: asOf, in: db)
        }
        return try RegistryEvaluator(rules: rules, registry: registry).decisions(for: code, asOf: asOf, in: db).map {
            var d = StoredDecision(subjectCode: $0.subject, measure: $0.measureID, rule: $0.ruleID, memorandum: $0.memorandum,
                           kind: $0.kind == .punishment ? .punishment : .incentive, category: $0.category.rawValue,
                           department: $0.department.id, departmentName: $0.department.name, basis: $0.legalBasis,
                           text: $0.measureText, validFrom: $0.from, validUntil: $0.until, financial: $0.financial,
                           viaCode: $0.via?.organisation, viaRole: $0.via?.role.rawValue, causedBy: $0.causedBy,
                           rulesetVersion: rules.version, evaluatedOn: asOf)
            d.toVerify = $0.toVerify
            d.cooperating = $0.cooperating.map(\.id)
            return d
        }
    }
}
