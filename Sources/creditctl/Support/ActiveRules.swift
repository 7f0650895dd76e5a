import ArgumentParser
import CreditOperations
import RuleEngine

/// The rule set commands evaluate with: an explicit directory, else the active version, else rules/.
enum ActiveRules {
    static func load(_ ops: CreditOperations, override: String?) throws -> CompiledRuleSet {
        if override == nil, let active = try ops.activeRuleSet() { return active }
        let loaded = RuleSetLoader.load(paths: [override ?? "rules"])
        guard let rs = loaded.ruleSet else {
            print(loaded.renderedDiagnostics, terminator: "")
            throw ExitCode.failure
        }
        return rs
    }
}
