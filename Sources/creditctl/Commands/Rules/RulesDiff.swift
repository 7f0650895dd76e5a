import ArgumentParser
import CreditRegistry
import CreditOperations
import Decisions
import CreditQuery
import RuleEngine

extension RulesCommand {
    /// `creditctl rules diff --rules DIR`
    struct RulesDiff: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "diff",
            abstract: "Preview the impact of activating a rule set: which subjects gain or lose which measures."
        )

        @OptionGroup var global: GlobalOptions
        @Option(name: .customLong("rules"), help: "Candidate rule directory.") var candidate: String = "rules"
        @Option(help: "Evaluate as of this day (default: today).") var asOf: String?
        @Option(help: "List at most this many subjects (counts cover all).") var limit: Int = 50
        @Option(name: .customLong("batch-size"), help: "On PostgreSQL: subjects whose facts are read and evaluated together (default 4096).")
        var batchSize: Int?

        func run() throws {
            let loaded = RuleSetLoader.load(paths: [candidate])
            guard let next = loaded.ruleSet else {
                print(loaded.renderedDiagnostics, terminator: ""); throw ExitCode.failure
            }
            if let batchSize, batchSize < 1 { throw ValidationError("--batch-size \(batchSize): at least 1 subject") }
            let ops = try global.existingOperations(orPostgres: "rules diff")
            var diff = try ops.impact(of: next, asOf: try DayArgument.optional(asOf), subjectsPerBatch: batchSize)
            // The operator previews who changes, not whose ID number: resident IDs are masked as
            // in every other CLI read (the code they stand for is in the registry, not the preview).
            for i in diff.changes.indices { diff.changes[i].subject = IdentityMask.forDisplay(diff.changes[i].subject) }
            let day = diff.asOf
            switch global.format {
            case .json: print(JSON.pretty(diff))
            case .csv:
                print("subject,name,gained,lost")
                diff.changes.forEach { print([$0.subject, $0.name, $0.gained.joined(separator: ";"), $0.lost.joined(separator: ";")].map(CSV.field).joined(separator: ",")) }
            case .table:
                print("diff \(diff.fromVersion.map { String($0.prefix(12)) } ?? "(none active)") → \(diff.toVersion.prefix(12)) as of \(day): \(diff.changes.count) of \(diff.subjectsEvaluated) subjects change")
                for m in Set(diff.gainedByMeasure.keys).union(diff.lostByMeasure.keys).sorted() {
                    print("  \(m): +\(diff.gainedByMeasure[m] ?? 0) −\(diff.lostByMeasure[m] ?? 0)")
                }
                for c in diff.changes.prefix(limit) {
                    print("  \(c.subject) \(c.name)" + (c.gained.isEmpty ? "" : "  gains \(c.gained.joined(separator: ", "))") + (c.lost.isEmpty ? "" : "  loses \(c.lost.joined(separator: ", "))"))
                }
                if diff.changes.count > limit { print("  … \(diff.changes.count - limit) more (--limit, --format csv)") }
            }
        }
    }
}
