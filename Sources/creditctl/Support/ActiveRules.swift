import ArgumentParser
import CreditRegistry
import RuleEngine

/// The rule set commands evaluate with: an explicit directory, else the active version, else rules/.
enum ActiveRules {
    static func load(registry: Registry, override: String?) throws -> CompiledRuleSet {
        if override == nil, let active = try RuleSetStore(registry: registry).activeRuleSet() { return active }
        let loaded = RuleSetLoader.load(paths: [override ?? "rules"])
        guard let rs = loaded.ruleSet else {
            print(loaded.renderedDiagnostics, terminator: "")
            throw ExitCode.failure
        }
        return rs
    }
}
