import ArgumentParser
import CreditOperations
import Decisions
import Foundation

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

        func validate() throws { _ = try DayArgument.optional(asOf) }

        func run() throws {
            let ops = try global.existingOperations(orPostgres: "rules refresh")
            let day = try DayArgument.optional(asOf) ?? ops.clock.today()
            let bar = ProgressBar(label: "evaluating")
            let (version, s): (String, DecisionMaterialiser.Summary)
            do {
                (version, s) = try ops.refreshDecisions(asOf: day) { done, total in bar.update(done: done, total: total, items: done, unit: "subjects") }
            } catch let e as OperationError {
                bar.finish(); Terminal.err("\(e.description)\n"); throw ExitCode.failure
            }
            bar.finish()
            if global.format == .json { print(JSON.line(s)) } else {
                print("refreshed \(version.prefix(12)) as of \(day): \(s.subjectsEvaluated) subjects, \(s.subjectsWithMeasures) under measures, \(s.decisions) decisions" + String(format: " (%.2f s, %.0f subjects/s)", s.seconds, s.subjectsPerSecond))
            }
        }
    }
}
