import GRDB
import ArgumentParser
import CreditRegistry
import Foundation
import RuleEngine

extension RulesCommand {
    /// `creditctl rules activate [DIR]`: checks, tests, records the version and recomputes decisions.
    struct RulesActivate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "activate",
            abstract: "Activate a rule set: check and test it, record version, author and time, recompute all decisions."
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Rule directory or files (default: rules/).") var paths: [String] = ["rules"]
        @Option(help: "Who activates (recorded with the version and in the audit log).") var author: String = ProcessInfo.processInfo.environment["USER"] ?? "operator"
        @Option(help: "Evaluate as of this day (default: today).") var asOf: String?

        func run() throws {
            let day = try DayArgument.parse(asOf)
            let loaded = RuleSetLoader.load(paths: paths)
            guard let rules = loaded.ruleSet else {
                print(loaded.renderedDiagnostics, terminator: "")
                Terminal.err("not activated: the rule set has errors\n")
                throw ExitCode.failure
            }
            let tests = RuleTestRunner.run(rules)
            guard tests.failed == 0 else {
                Terminal.err("not activated: rule tests failed (\(tests.summary)); run `creditctl rules test`\n")
                throw ExitCode.failure
            }
            let registry = try Registry(path: global.db)
            let summary = try RuleActivation.activate(loaded, directory: paths.joined(separator: " "), author: author, asOf: day, registry: registry)
            switch global.format {
            case .json: print(JSON.line(ActivationOutput(version: rules.version, author: author, asOf: day, summary: summary)))
            default:
                print("activated \(rules.version.prefix(12)) by \(author): \(summary.subjectsEvaluated) subjects evaluated, \(summary.subjectsWithMeasures) with measures, \(summary.decisions) decisions as of \(day)" + String(format: " (%.2f s)", summary.seconds))
            }
        }
    }
}

struct ActivationOutput: Encodable {
    var version: String
    var author: String
    var asOf: Day
    var summary: DecisionMaterialiser.Summary
}

/// Activation as one transaction: the version record, the audit entry and the recomputed decisions.
enum RuleActivation {
    static func activate(_ loaded: LoadedRuleSet, directory: String, author: String, asOf: Day, registry: Registry) throws -> DecisionMaterialiser.Summary {
        guard let rules = loaded.ruleSet else { return .init() }
        let bar = ProgressBar(label: "evaluating")
        let total = try registry.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM subject") ?? 0 }
        let summary = try registry.write { db -> DecisionMaterialiser.Summary in
            try RuleSetStore(registry: registry).activate(loaded, directory: directory, author: author, in: db)
            return try DecisionMaterialiser(rules: rules, registry: registry).materialiseAll(asOf: asOf, in: db) { n in
                bar.update(done: n, total: total, items: n, unit: "subjects")
            }
        }
        bar.finish()
        return summary
    }
}
