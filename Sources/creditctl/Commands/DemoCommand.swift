import ArgumentParser
import CreditOperations
import CreditQuery
import CreditRegistry
import Decisions
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import NationalBridge
import RuleEngine

/// `creditctl demo`: the main job on the bundled samples — ingest every bureau feed and the
/// national list, check, test and activate the shipped rules, and show who is under which
/// measures. Safe to re-run: the second run reports everything unchanged.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Build a registry from the bundled samples, activate the shipped rules, show the measures in force."
    )

    @Option(name: .long, help: "Registry database file to create or update.")
    var db: String = "demo.db"

    @Option(name: .long, help: "Samples directory.")
    var samples: String = "samples"

    @Option(name: .long, help: "Rules directory.")
    var rules: String = "rules"

    @Option(help: "Evaluate as of this day (default: today).") var asOf: String?

    @OptionGroup var logging: LoggingOptions
    @OptionGroup var audit: AuditKeyOptions

    func validate() throws { _ = try DayArgument.optional(asOf) }

    func run() async throws {
        let fm = FileManager.default
        guard fm.fileExists(atPath: "\(samples)/feeds") else {
            throw ValidationError("no \(samples)/feeds here: run from the repository root or pass --samples DIR")
        }
        let ops = try OpenRegistry.operations(db, logging: logging, mustExist: false, auditKey: audit.auditKey, command: "demo")
        let day = try DayArgument.optional(asOf) ?? ops.clock.today()
        print("== 1. Ingest the bureau feeds and the national lists into \(db)\n")
        let feeds = try fm.contentsOfDirectory(atPath: "\(samples)/feeds").filter { $0.hasSuffix(".xml") }.sorted()
            .map { "\(samples)/feeds/\($0)" } + ["\(samples)/encoding/food-0002-delta.utf8.xml"]
        let reports = try FeedRunner.ingest(files: feeds, operations: ops, acceptLegacy: false, format: .table)
        let bridge = NationalBridge(operations: ops)
        let national = try ["dishonest-debtors.csv", "joint-lists.csv"].map {
            try bridge.importDishonestDebtors(path: "\(samples)/national/\($0)").report
        }
        for report in national { print(FeedRunner.render(report)) }

        print("== 2. Check, test and activate the rules in \(rules)/\n")
        let loaded = RuleSetLoader.load(paths: [rules])
        guard let ruleSet = loaded.ruleSet else {
            print(loaded.renderedDiagnostics, terminator: "")
            throw ExitCode.failure
        }
        let tests = RuleTestRunner.run(ruleSet)
        print("rules: \(ruleSet.memoranda.count) memoranda, \(ruleSet.measures.count) measures, \(ruleSet.rules.count) rules; in-file tests: \(tests.summary)")
        let touchedAny = (reports + national).contains { $0.outcome == .ingested }
        if try ops.ruleStatus().version == ruleSet.version && !touchedAny && asOf == nil {
            print("rule set \(ruleSet.version.prefix(12)) is already active; nothing changed\n")
        } else {
            // The same refusal as `rules activate`: a rule set whose tests fail is never activated.
            let a = try RuleActivationRunner.activate(ops, paths: [rules], author: "demo", asOf: day)
            print("activated \(a.version.prefix(12)): \(a.summary.subjectsEvaluated) subjects evaluated, \(a.summary.subjectsWithMeasures) under measures, \(a.summary.decisions) decisions as of \(day)\n")
        }

        print("== 3. Subjects under measures as of \(day)\n")
        let rows = try ops.subjectsUnderMeasures().map { r in
            [Mask.code(r.code, kind: r.kind), r.name, "\(r.punishments)", "\(r.incentives)", r.memoranda]
        }
        print(TextTable.render(header: ["code", "name", "punishments", "incentives", "memoranda"], rows: rows))

        print("\n== 4. One subject per joint-punishment area as of \(day)\n")
        let areas = [KnownList.abnormalOperations, KnownList.seriousViolation, KnownList.majorTaxViolation,
                     KnownList.foodDrugSeriousDishonest] + KnownList.national
        let perArea = try ops.subjectPerList(areas, asOf: day).map { area in
            guard let s = area.subject else { return [area.list, "-", "(nobody on the list)", ""] }
            return [area.list, Mask.code(s.code, kind: s.kind), s.name, s.measures.isEmpty ? "(no measure)" : s.measures.joined(separator: " ")]
        }
        print(TextTable.render(header: ["area", "code", "name", "measures"], rows: perArea))

        print("\n== 5. An officer's report, looked up by the legacy registration number 350200201603011\n")
        if let report = try ops.report("350200201603011", options: .init(asOf: day, actor: "demo")) {
            print(ReportRenderer.text(report).split(separator: "\n", omittingEmptySubsequences: false).prefix(14).joined(separator: "\n"))
            print("  … (creditctl report 91350200MA2XH1K70Y --db \(db))")
        }

        print("\n== 6. A bank's batch check of \(samples)/bank/counterparties.csv\n")
        let bank = "\(samples)/bank/counterparties.csv"
        let out = (db as NSString).deletingPathExtension + "-check.csv"
        let input = open(bank, O_RDONLY)
        let output = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard input >= 0, output >= 0 else { throw ValidationError("cannot open \(bank) or \(out)") }
        defer { close(input); close(output) }
        let summary = try ops.batchCheck(input: input, output: output, options: .init(format: .csv),
                                         viewer: Viewer(actor: "demo", maySeePersonalIDs: false))
        print("\(summary.rows) rows: \(summary.valid) valid codes, \(summary.found) found, \(summary.flagged) flagged; verdicts in \(out)")

        print("\nNext: creditctl rules explain CODE --db \(db) · creditctl subject search 厦门 --db \(db) · creditctl feeds list --db \(db)")
        if (reports + national).contains(where: { $0.outcome == .refused }) { throw ExitCode(1) }
    }
}
