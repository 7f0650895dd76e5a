import ArgumentParser
import CreditRegistry
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
            let day = try DayArgument.parse(asOf)
            let registry = try global.existingRegistry()
            let ruleSet = try ActiveRules.load(registry: registry, override: rules)
            guard let subject = try registry.lookup(id) else {
                Terminal.err("no subject found for '\(id)'\n"); throw ExitCode.failure
            }
            let explanations = try RegistryEvaluator(rules: ruleSet, registry: registry).explain(subject.code, asOf: day)
            if global.format == .json { explanations.forEach { print(JSON.line($0)) }; return }
            let records = try registry.read { db in
                try registry.records(ids: Array(Set(explanations.flatMap { $0.rules.flatMap(\.records) })), in: db)
            }
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

        func run() throws {
            let day = try DayArgument.parse(asOf)
            let loaded = RuleSetLoader.load(paths: [candidate])
            guard let next = loaded.ruleSet else {
                print(loaded.renderedDiagnostics, terminator: ""); throw ExitCode.failure
            }
            let registry = try global.existingRegistry()
            let current = try RuleSetStore(registry: registry).activeRuleSet()
            let diff = try ImpactDiff.compute(candidate: next, current: current, registry: registry, asOf: day)
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

    /// `creditctl rules list`
    struct RulesList: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List memoranda and measures, with how many subjects each measure reaches now."
        )

        @OptionGroup var global: GlobalOptions
        @Option(name: .customLong("rules"), help: "Rule directory (default: the active rule set, else rules/).") var dir: String?

        struct Row: Codable { var memorandum: String; var measure: String; var kind: String; var department: String; var category: String; var financial: Bool; var subjects: Int; var unconfirmed: Bool; var text: String }

        func run() throws {
            let registry = try global.existingRegistry()
            let rules = try ActiveRules.load(registry: registry, override: dir)
            let counts = try registry.read { db in
                try Dictionary(Row2.fetchAll(db, sql: "SELECT measure, COUNT(DISTINCT subject_code) FROM decision GROUP BY measure").map { ($0.0, $0.1) },
                               uniquingKeysWith: { a, _ in a })
            }
            var rows: [Row] = []
            for m in rules.measures {
                let memo = rules.rules.first { $0.measures.contains(m.id) }?.memorandum ?? ""
                let kind = rules.rules.first { $0.measures.contains(m.id) }.map { $0.kind.rawValue } ?? ""
                rows.append(Row(memorandum: memo, measure: m.id, kind: kind, department: m.department.name, category: m.category.rawValue,
                                financial: m.financial, subjects: counts[m.id] ?? 0, unconfirmed: !m.unconfirmed.isEmpty, text: m.text))
            }
            rows.sort { ($0.memorandum, $0.measure) < ($1.memorandum, $1.measure) }
            switch global.format {
            case .json: rows.forEach { print(JSON.line($0)) }
            case .csv:
                print("memorandum,measure,kind,department,category,financial,subjects,unconfirmed,text")
                rows.forEach { print([$0.memorandum, $0.measure, $0.kind, $0.department, $0.category, $0.financial ? "1" : "0", "\($0.subjects)", $0.unconfirmed ? "1" : "0", $0.text].map(CSV.field).joined(separator: ",")) }
            case .table:
                for memo in rules.memoranda {
                    print("\(memo.number) \(memo.title)\(memo.unconfirmed.isEmpty ? "" : " (\(memo.unconfirmed.count) unconfirmed facts)")")
                }
                print("")
                print(TextTable.render(header: ["memorandum", "measure", "kind", "department", "subjects", "fin", "unconf."],
                                       rows: rows.map { [$0.memorandum, $0.measure, $0.kind, $0.department, "\($0.subjects)", $0.financial ? "✓" : "", $0.unconfirmed ? "?" : ""] }))
            }
        }
    }
}

/// Two-column rows (measure, count).
enum Row2 {
    static func fetchAll(_ db: GRDB.Database, sql: String) throws -> [(String, Int)] {
        try GRDB.Row.fetchAll(db, sql: sql).map { ($0[0], $0[1]) }
    }
}

/// The rule set commands evaluate with: an explicit directory, else the active version, else rules/.
enum ActiveRules {
    static func load(registry: Registry, override: String?) throws -> CompiledRuleSet {
        if override == nil, let active = try RuleSetStore(registry: registry).activeRuleSet() { return active }
        let loaded = RuleSetLoader.load(paths: [override ?? "rules"])
        guard let rs = loaded.ruleSet else {
            print(loaded.renderedDiagnostics, terminator: "")
            throw ExitCode.failure
        }
        return rs
    }
}

/// Masking of personal ID numbers for display.
enum Mask {
    static func code(_ code: String, kind: SubjectKind) -> String {
        kind == .naturalPerson ? IdentityMask.residentID(code) : code
    }
}

import GRDB
