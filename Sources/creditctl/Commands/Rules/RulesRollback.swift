import GRDB
import ArgumentParser
import CreditRegistry
import Foundation
import RuleEngine

extension RulesCommand {
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
}
