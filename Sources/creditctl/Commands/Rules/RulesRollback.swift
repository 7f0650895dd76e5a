import ArgumentParser
import CreditOperations
import Foundation

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
            let ops = try global.existingOperations(orPostgres: "rules rollback")
            let r: RuleActivation
            do { r = try ops.rollbackRules(to: version, author: author) } catch let e as OperationError {
                Terminal.err("\(e.description)\n"); throw ExitCode.failure
            }
            if global.format == .json { print(JSON.line(r)); return }
            print("rolled back from \(r.previousVersion.map { String($0.prefix(12)) } ?? "") to \(r.version.prefix(12)): \(r.summary.decisions) decisions recomputed")
        }
    }
}
