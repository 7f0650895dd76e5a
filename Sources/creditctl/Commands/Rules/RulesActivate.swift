import ArgumentParser
import CreditOperations
import CreditRegistry
import Decisions
import CreditQuery
import Foundation

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

        func validate() throws { _ = try DayArgument.optional(asOf) }

        func run() throws {
            let ops = try global.operations(orPostgres: "rules activate")
            let a = try RuleActivationRunner.activate(ops, paths: paths, author: author, asOf: try DayArgument.optional(asOf))
            switch global.format {
            case .json: print(JSON.line(a))
            default:
                print("activated \(a.version.prefix(12)) by \(a.author): \(a.summary.subjectsEvaluated) subjects evaluated, \(a.summary.subjectsWithMeasures) with measures, \(a.summary.decisions) decisions as of \(a.asOf)" + String(format: " (%.2f s)", a.summary.seconds))
            }
        }
    }
}

/// Activation with a progress bar and the refusals printed: shared by `rules activate` and `demo`.
enum RuleActivationRunner {
    static func activate(_ ops: CreditOperations, paths: [String], author: String, asOf: Day?) throws -> RuleActivation {
        let bar = ProgressBar(label: "evaluating")
        do {
            let a = try ops.activateRules(paths: paths, author: author, asOf: asOf) { done, total in
                bar.update(done: done, total: total, items: done, unit: "subjects")
            }
            bar.finish()
            return a
        } catch let e as OperationError {
            bar.finish()
            if case .invalidRules(let diagnostics) = e { print(diagnostics, terminator: "") }
            Terminal.err("\(e.description)\n")
            throw ExitCode.failure
        }
    }
}
