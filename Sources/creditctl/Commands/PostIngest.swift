import CreditRegistry
import RuleEngine

/// Incremental rule evaluation after new facts: only the subjects a feed touched and those
/// related to them, with the active rule set (nothing to do when none is active).
enum PostIngest {
    @discardableResult
    static func reevaluate(_ report: IngestReport, registry: Registry, quiet: Bool) throws -> DecisionMaterialiser.Summary? {
        guard report.outcome == .ingested, report.touchedAll || !report.touchedSubjects.isEmpty,
              let rules = try RuleSetStore(registry: registry).activeRuleSet() else { return nil }
        let touched = report.touchedSubjects
        let all = report.touchedAll
        let day = Day.today()
        let summary = try registry.write { db in
            let materialiser = DecisionMaterialiser(rules: rules, registry: registry)
            return all ? try materialiser.materialiseAll(asOf: day, in: db) : try materialiser.materialise(touched: touched, asOf: day, in: db)
        }
        if !quiet {
            Terminal.err("  re-evaluated \(summary.subjectsEvaluated) subjects (touched and related) with rule set \(rules.version.prefix(12)): \(summary.decisions) decisions\n")
        }
        return summary
    }
}
