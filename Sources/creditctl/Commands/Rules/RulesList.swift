import ArgumentParser
import CreditRegistry
import CreditOperations
import Decisions
import CreditQuery
import RuleEngine

extension RulesCommand {
    /// `creditctl rules list`
    struct RulesList: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "One row per memorandum: measures encoded, item numbers, what is unconfirmed; with --measures, each measure and how many subjects it reaches now."
        )

        @OptionGroup var global: GlobalOptions
        @Option(name: .customLong("rules"), help: "Rule directory for --measures (default: the active rule set, else rules/).") var dir: String?
        @Argument(help: "Rule files or directories for the coverage listing (default: rules/).") var paths: [String] = ["rules"]
        @Flag(help: "Print the coverage as markdown (docs/rules-coverage.md).") var markdown = false
        @Flag(help: "List measures with the subjects each reaches (reads the database).") var measures = false

        struct Row: Codable { var memorandum: String; var measure: String; var kind: String; var department: String; var category: String; var financial: Bool; var subjects: Int; var unconfirmed: Bool; var text: String }

        func run() throws {
            guard measures else { return try coverage() }
            let ops = try global.existingOperations(orPostgres: "rules list --measures")
            let rules = try ActiveRules.load(ops, override: dir)
            let counts = try ops.subjectsByMeasure()
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
    

        private func coverage() throws {
            let loaded = RuleSetLoader.load(paths: paths)
            guard let rs = loaded.ruleSet else {
                print(loaded.renderedDiagnostics, terminator: "")
                throw ExitCode.failure
            }
            let report = CoverageReport(rs)
            if markdown { print(report.markdown, terminator: ""); return }
            switch global.format {
            case .json: report.rows.forEach { print(JSON.line($0)) }
            default: print(report.text, terminator: "")
            }
        }
    }
}
