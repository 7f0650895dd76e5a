import ArgumentParser
import CreditRegistry
import CreditOperations
import Decisions
import CreditQuery
import RuleEngine

extension RulesCommand {
    /// `creditctl rules explain CODE [--as-of DATE]`
    struct RulesExplain: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "explain",
            abstract: "Explain, for one subject, every rule that fired or did not, and on which records."
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Any identifier of the subject (USCC, registration number, organisation code, resident ID).") var id: String
        @Option(help: "Evaluate as of this day (default: today).") var asOf: String?
        @Option(help: "Rule directory to explain with (default: the active rule set, else rules/).") var rules: String?

        func run() throws {
            let ops = try global.existingOperations(orPostgres: "rules explain")
            let day = try DayArgument.optional(asOf) ?? ops.clock.today()
            let ruleSet = try ActiveRules.load(ops, override: rules)
            guard let found = try ops.explainSubject(id, rules: ruleSet, asOf: day) else {
                Terminal.err("no subject found for '\(id)'\n"); throw ExitCode.failure
            }
            let (subject, explanations, records) = (found.subject, found.explanations, found.records)
            if global.format == .json { explanations.forEach { print(JSON.line($0)) }; return }
            let byID = Dictionary(uniqueKeysWithValues: records.map { ($0.id, $0) })
            print("\(subject.name) \(Mask.code(subject.code, kind: subject.kind)) as of \(day), rule set \(ruleSet.version.prefix(12))")
            for e in explanations {
                if e.subject != subject.code { print("\nthrough organisation \(e.subject):") }
                for r in e.rules {
                    let mark = (r.fired ? "FIRED" : r.outcome.rawValue.replacingOccurrences(of: "_", with: " ").uppercased()).padding(toLength: 9, withPad: " ", startingAt: 0)
                    print("  \(mark) \(r.ruleID) [\(r.memorandum)] \(r.reason)")
                    for c in r.conditions where !c.text.isEmpty {
                        print("            \(c.held ? "✓" : "✗") \(c.text)\(c.detail.isEmpty ? "" : " — \(c.detail)")")
                    }
                    for id in r.records { if let rec = byID[id] { print("            record \(id): \(rec.kind) \(rec.bureau)/\(rec.bureauKey) line \(rec.line)\(rec.documentNumber.map { " \($0)" } ?? "")") } }
                }
                for d in e.decisions where d.subject == subject.code {
                    print("  → \(d.kind == .punishment ? "punishment" : "incentive") \(d.measureID): \(d.measureText) [\(d.department.name)] from \(d.from) until \(d.until?.description ?? "open")")
                }
            }
        }
    }
}
