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

    /// `creditctl rules rollback [VERSION]`: re-activates the previous (or the given) version.
    struct RulesRollback: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rollback",
            abstract: "Re-activate the previously active rule-set version (or the one given) and recompute decisions."
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Version (a prefix is enough); default: the version active before the current one.") var version: String?
        @Option(help: "Who rolls back.") var author: String = ProcessInfo.processInfo.environment["USER"] ?? "operator"

        func run() throws {
            let registry = try global.existingRegistry()
            let store = RuleSetStore(registry: registry)
            let versions = try store.versions()
            guard let current = versions.first(where: \.active) else {
                Terminal.err("no active rule set to roll back\n"); throw ExitCode.failure
            }
            let target: RuleSetStore.Version?
            if let version {
                target = versions.first { $0.version.hasPrefix(version) }
            } else {
                target = versions.filter { $0.version != current.version }.last
            }
            guard let target, let rules = try store.ruleSet(version: target.version) else {
                Terminal.err("no stored rule-set version to roll back to\(version.map { " matching '\($0)'" } ?? "")\n"); throw ExitCode.failure
            }
            let day = Day.today()
            let summary = try registry.write { db -> DecisionMaterialiser.Summary in
                try store.reactivate(version: target.version, author: author, in: db)
                return try DecisionMaterialiser(rules: rules, registry: registry).materialiseAll(asOf: day, in: db)
            }
            print("rolled back from \(current.version.prefix(12)) to \(target.version.prefix(12)): \(summary.decisions) decisions recomputed")
        }
    }

    /// `creditctl rules status`: the versions and which is active.
    struct RulesStatus: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "status", abstract: "List activated rule-set versions.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let versions = try RuleSetStore(registry: try global.existingRegistry()).versions()
            switch global.format {
            case .json: versions.forEach { print(JSON.line($0)) }
            case .csv:
                print("version,activated_at,author,source,active")
                versions.forEach { print([$0.version, $0.activatedAt, $0.author, $0.sourceDirectory, $0.active ? "1" : "0"].map(CSV.field).joined(separator: ",")) }
            case .table:
                if versions.isEmpty { print("no rule set activated (creditctl rules activate rules/)") }
                print(TextTable.render(header: ["", "version", "activated_at", "author", "source"],
                                       rows: versions.map { [$0.active ? "*" : "", String($0.version.prefix(12)), $0.activatedAt, $0.author, $0.sourceDirectory] }))
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

/// `--as-of` parsing shared by commands.
enum DayArgument {
    static func parse(_ text: String?) throws -> Day {
        guard let text else { return Day.today() }
        do { return try Day(text) } catch { throw ValidationError("--as-of: \(error.description)") }
    }
}

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
