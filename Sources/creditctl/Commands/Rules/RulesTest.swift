import ArgumentParser
import RuleEngine

extension RulesCommand {
    /// `creditctl rules test [PATHS…]`
    struct RulesTest: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test",
            abstract: "Run the tests written inside the rule files; print 'N passed, M failed'."
        )

        @Argument(help: "Rule files or directories (default: rules/).")
        var paths: [String] = ["rules"]

        func run() throws {
            let loaded = RuleSetLoader.load(paths: paths)
            guard let rs = loaded.ruleSet else {
                print(loaded.renderedDiagnostics, terminator: "")
                throw ExitCode.failure
            }
            let report = RuleTestRunner.run(rs)
            for r in report.results {
                print("\(r.passed ? "PASS" : "FAIL") \(r.location) \(r.name)")
                for f in r.failures { print("  \(f)") }
            }
            print(report.summary)
            if report.failed > 0 { throw ExitCode.failure }
        }
    }
}
