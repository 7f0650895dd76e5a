import GRDB
import ArgumentParser
import CreditRegistry
import Foundation
import RuleEngine

extension RulesCommand {
    /// `creditctl rules refresh`: re-materialises the active rule set as of a day (run daily,
    /// so that measures starting or ending today are in the table banks and officers read).
    struct RulesRefresh: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "refresh",
            abstract: "Recompute all decisions of the active rule set as of today (or --as-of); run daily."
        )
        @OptionGroup var global: GlobalOptions
        @Option(help: "Evaluate as of this day (default: today).") var asOf: String?

        func run() throws {
            let day = try DayArgument.parse(asOf)
            let registry = try global.existingRegistry()
            guard let rules = try RuleSetStore(registry: registry).activeRuleSet() else {
                Terminal.err("no active rule set (creditctl rules activate rules/)\n"); throw ExitCode.failure
            }
            let total = try registry.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM subject") ?? 0 }
            let bar = ProgressBar(label: "evaluating")
            let s = try registry.write { db in
                try DecisionMaterialiser(rules: rules, registry: registry).materialiseAll(asOf: day, in: db) { n in
                    bar.update(done: n, total: total, items: n, unit: "subjects")
                }
            }
            bar.finish()
            if global.format == .json { print(JSON.line(s)) } else {
                print("refreshed \(rules.version.prefix(12)) as of \(day): \(s.subjectsEvaluated) subjects, \(s.subjectsWithMeasures) under measures, \(s.decisions) decisions" + String(format: " (%.2f s, %.0f subjects/s)", s.seconds, s.subjectsPerSecond))
            }
        }
    }
}
