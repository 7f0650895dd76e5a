import CreditRegistry
import Foundation
import GRDB
import RuleEngine

/// Incremental rule evaluation after new facts: only the subjects a feed touched and those
/// related to them, with the active rule set (nothing to do when none is active).
enum PostIngest {
    /// A hook for ``FeedIngestor/beforeCommit`` that re-evaluates the touched subjects inside the
    /// feed's own transaction, so that a feed and the decisions it changes commit together; the
    /// summary is left in `result`.
    static func inTransaction(rules: CompiledRuleSet?, registry: Registry,
                              result: LockedBox<DecisionMaterialiser.Summary?>) -> (@Sendable (Database, IngestReport) throws -> Void)? {
        guard let rules else { return nil }
        return { db, report in
            guard !report.touchedSubjects.isEmpty else { return }
            result.value = try DecisionMaterialiser(rules: rules, registry: registry)
                .materialise(touched: report.touchedSubjects, asOf: Day.today(), in: db)
        }
    }

    /// After a commit: the whole registry when the feed touched too many subjects to list, else
    /// the touched subjects (for imports without the in-transaction hook).
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
        announce(summary, rules: rules, quiet: quiet)
        return summary
    }

    static func announce(_ summary: DecisionMaterialiser.Summary, rules: CompiledRuleSet, quiet: Bool) {
        if !quiet {
            Terminal.err("  re-evaluated \(summary.subjectsEvaluated) subjects (touched and related) with rule set \(rules.version.prefix(12)): \(summary.decisions) decisions\n")
        }
    }
}
