import ArgumentParser
import CreditRegistry
import CreditOperations
import Decisions
import CreditQuery
import Foundation
import RuleEngine

extension RulesCommand {
    /// `creditctl rules explain-facts FILE.json --as-of DATE`
    struct RulesExplainFacts: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "explain-facts",
            abstract: "Evaluate a SubjectFacts JSON file (or an array: the subject first, then related subjects) and explain every rule."
        )

        @Argument(help: "JSON file with one SubjectFacts object, or an array of them (first = the subject).")
        var file: String

        @Option(name: .long, help: "Evaluation date, yyyy-mm-dd (default: today, UTC+8).")
        var asOf: String?

        @Option(name: .long, help: "Rule files or directories.")
        var rules: [String] = ["rules"]

        @Flag(name: .long, help: "Print JSON instead of text.")
        var json = false

        func validate() throws {
            if let a = asOf, (try? Day(a)) == nil { throw ValidationError("--as-of must be a date yyyy-mm-dd") }
        }

        func run() throws {
            let loaded = RuleSetLoader.load(paths: rules)
            guard let rs = loaded.ruleSet else {
                print(loaded.renderedDiagnostics, terminator: "")
                throw ExitCode.failure
            }
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
            let decoder = JSONDecoder()
            let subjects: [SubjectFacts]
            if let one = try? decoder.decode(SubjectFacts.self, from: data) { subjects = [one] } else {
                do { subjects = try decoder.decode([SubjectFacts].self, from: data) } catch {
                    throw ValidationError("\(file) is not SubjectFacts JSON: \(error)")
                }
            }
            guard let own = subjects.first else { throw ValidationError("\(file) holds no subject") }
            let day = try asOf.map { try Day($0) } ?? OpenRegistry.clock().today()
            let related = Array(subjects.dropFirst())
            let explanation = rs.explain(own, asOf: day, related: related)
            let final = rs.decisions(for: own.code, own: own, related: related, asOf: day)
            if json {
                let enc = JSONEncoder()
                enc.outputFormatting = [.prettyPrinted, .sortedKeys]
                var e = explanation
                e.decisions = final
                print(String(decoding: try enc.encode(e), as: UTF8.self))
                return
            }
            print("subject \(own.code) \(own.name) as of \(day), rules \(rs.version.prefix(12))")
            for d in explanation.derivedEntries {
                print("  derived: on list \(d.list) from \(d.from) until \(d.until?.description ?? "open") (rule \(d.ruleID), records \(d.records))")
            }
            for t in explanation.rules {
                print("  [\(t.outcome.rawValue)] \(t.ruleID) (\(t.memorandum)): \(t.reason)" + (t.records.isEmpty ? "" : " records \(t.records)"))
                for c in t.conditions { print("      \(c.held ? "✓" : "✗") \(c.text) — \(c.detail)") }
            }
            print("decisions in force for \(own.code):")
            if final.isEmpty { print("  none") }
            for d in final {
                let via = d.via.map { " via \($0.organisation) as \($0.role.rawValue)" } ?? ""
                print("  \(d.kind.rawValue) \(d.measureID) \(d.measureText) — \(d.department.name); \(d.from)…\(d.until?.description ?? "open")\(via); rule \(d.ruleID); records \(d.causedBy)")
            }
        }
    }
}
