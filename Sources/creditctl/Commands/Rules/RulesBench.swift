import ArgumentParser
import CreditRegistry
import CreditOperations
import Decisions
import CreditQuery
import Foundation
import RuleEngine

extension RulesCommand {
    /// `creditctl rules bench --subjects N`
    struct RulesBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bench",
            abstract: "Evaluate N generated subjects with the rules; print subjects/s, µs/subject and the 10-million projection."
        )

        @Option(name: .long, help: "Number of generated subjects.")
        var subjects: Int = 100_000

        @Option(name: .long, help: "Rule files or directories.")
        var rules: [String] = ["rules"]

        @Option(name: .long, help: "Random seed of the generator.")
        var seed: UInt64 = 42

        @Option(name: .long, help: "Evaluation date.")
        var asOf: String = "2024-06-01"

        @Option(name: .long, help: "Evaluate the subjects of this registry instead of generated ones: their facts are read into memory first, then evaluation alone is timed (the baseline of a full materialisation).")
        var db: String?

        func run() async throws {
            let loaded = RuleSetLoader.load(paths: rules)
            guard let rs = loaded.ruleSet else {
                print(loaded.renderedDiagnostics, terminator: "")
                throw ExitCode.failure
            }
            let day = try Day(asOf)
            if let db {
                let registry = try Registry(path: db)
                let r = try DecisionMaterialiser(rules: rs, registry: registry).evaluateInMemory(asOf: day)
                let us = r.seconds * 1_000_000 / Double(max(1, r.subjects))
                print("in-memory evaluation of \(r.subjects) registry subjects on one core: \(String(format: "%.2f", r.seconds)) s, "
                      + "\(String(format: "%.2f", us)) µs/subject, \(r.decisions) decisions, CPU \(String(format: "%.2f", r.cpuSeconds)) s")
                return
            }
            let facts = SyntheticFacts.generate(count: subjects, seed: seed, around: day)
            let mix = SyntheticFacts.describe(facts)
            print("generated \(subjects) subjects: \(mix)")
            let report = await RuleBenchmark.run(rs, facts: facts, asOf: day)
            print(report.text)
        }
    }
}
