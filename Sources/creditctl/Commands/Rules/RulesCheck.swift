import ArgumentParser
import RuleEngine

extension RulesCommand {
    /// `creditctl rules check [PATHS…]`
    struct RulesCheck: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Parse and check rule files; print every problem with file:line:column and a caret."
        )

        @Argument(help: "Rule files or directories (default: rules/).")
        var paths: [String] = ["rules"]

        func run() throws {
            let loaded = RuleSetLoader.load(paths: paths)
            print(loaded.renderedDiagnostics, terminator: "")
            let errors = loaded.diagnostics.filter { $0.severity == .error }.count
            let warnings = loaded.diagnostics.filter { $0.severity == .warning }.count
            if let rs = loaded.ruleSet {
                print("ok: \(rs.memoranda.count) memoranda, \(rs.measures.count) measures, \(rs.rules.count) rules, \(rs.testCount) tests; \(warnings) warnings; version \(rs.version.prefix(12))")
            } else {
                print("\(errors) errors, \(warnings) warnings")
                throw ExitCode.failure
            }
        }
    }
}
