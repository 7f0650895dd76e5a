import CreditTestSupport
import CreditRegistry
import Foundation
import Testing

/// The operator's and administrator's workflow through the real `creditctl` binary on the
/// bundled samples: ingest, feeds, activation, diff, rollback, explain, report, batch check —
/// on SQLite and on PostgreSQL.
@Suite
struct WorkflowTests {
    let scratch: TemporaryDirectory
    var dir: URL { scratch.url }
    let root = CreditCtlBinary.packageRoot

    init() throws {
        scratch = try TemporaryDirectory("workflow")
    }

    func sample(_ p: String) -> String { root.appendingPathComponent("samples/\(p)").path }

    func ingestSamples(_ run: RegistryCLI) throws {
        let r = try run(["ingest", "--format", "json", sample("feeds/commerce-0001-full.xml"), sample("feeds/commerce-0002-delta.xml"),
                         sample("feeds/food-0001-full.xml"), sample("feeds/tax-0001-full.xml")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.split(separator: "\n").count == 4)
        let n = try run(["bridge", "import-national", "--format", "json", sample("national/dishonest-debtors.csv")])
        #expect(n.status == 0, "\(n.stderr)")
    }

    @Test(arguments: TestBackend.allCases) func feedsCommandsShowWhatWasIngestedAndQuarantined(_ backend: TestBackend) throws {
        let run = try RegistryCLI(backend, in: scratch)
        try ingestSamples(run)
        let bad = try run(["ingest", "--format", "json", sample("bad/commerce-bad-check-digit.xml")])
        #expect(bad.status == 1, "rejected records make the exit status 1")
        let list = try run(["feeds", "list", "--format", "csv"])
        #expect(list.status == 0)
        #expect(list.stdout.contains("SAMR-350200-20250630-FULL"))
        #expect(list.stdout.contains("SAMR-350200-BAD-CHECK"))
        let show = try run(["feeds", "show", "SAMR-350200-BAD-CHECK", "--format", "json"])
        #expect(show.stdout.contains("\"records_rejected\" : 2"))
        let rejects = try run(["feeds", "rejects", "SAMR-350200-BAD-CHECK", "--format", "csv"])
        #expect(rejects.stdout.contains("REG-C20-BADCHECK"))
        #expect(rejects.stdout.contains("position 18"))
        let refused = try run(["ingest", "--format", "json", sample("bad/commerce-xxe.xml")])
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("\"outcome\":\"refused\""))
        let missing = try run(["feeds", "show", "NO-SUCH-FEED"])
        #expect(missing.status == 1 && missing.stderr.contains("no feed"))
    }

    /// `demo` refuses a rule set whose in-file tests fail, exactly as `rules activate` does.
    @Test(arguments: TestBackend.allCases) func demoAndActivateRefuseFailingRuleTests(_ backend: TestBackend) throws {
        let run = try RegistryCLI(backend, in: scratch)
        let broken = dir.appendingPathComponent("rules-broken")
        #expect(try FailingRuleSet.copy(from: root.appendingPathComponent("rules"), to: broken))
        // The demo builds SQLite registries only.
        let demo = try CreditCtlBinary.run(["demo", "--db", scratch.path("demo.db"), "--samples", root.appendingPathComponent("samples").path, "--rules", broken.path])
        #expect(demo.status == 1)
        #expect(demo.stderr.contains("not activated: rule tests failed"), "\(demo.stderr)")
        let activate = try run(["rules", "activate", broken.path, "--author", "tester"])
        #expect(activate.status == 1)
        #expect(activate.stderr.contains("not activated: rule tests failed"), "\(activate.stderr)")
        let status = try run(["rules", "status", "--format", "csv"])
        #expect(status.stdout.split(separator: "\n").count == 1, "no version was recorded: \(status.stdout)")
    }

    @Test(arguments: TestBackend.allCases) func activateDiffRollbackAndExplain(_ backend: TestBackend) throws {
        let run = try RegistryCLI(backend, in: scratch)
        try ingestSamples(run)
        let activate = try run(["rules", "activate", root.appendingPathComponent("rules").path, "--author", "tester", "--format", "json"])
        #expect(activate.status == 0, "\(activate.stderr)")
        // The decisions in force, as every subject's measures on the bank file's day.
        let decisions = { () throws -> String in
            let check = try run(["check", sample("bank/counterparties.csv"), "--format", "json"])
            #expect(check.status == 0, "\(check.stderr)")
            return check.stdout
        }
        let original = try decisions()
        #expect(original.contains("\"flagged\":true"))

        // A candidate rule set without the A-grade memorandum: the diff shows only losses.
        let candidate = dir.appendingPathComponent("rules-candidate")
        try FileManager.default.createDirectory(at: candidate, withIntermediateDirectories: true)
        for file in try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("rules").path)
        where file.hasSuffix(".rules") && !file.contains("a_grade") {
            try FileManager.default.copyItem(at: root.appendingPathComponent("rules/\(file)"), to: candidate.appendingPathComponent(file))
        }
        let diff = try run(["rules", "diff", "--rules", candidate.path, "--as-of", "2024-06-01", "--format", "json"])
        #expect(diff.status == 0, "\(diff.stderr)")
        let parsed = try JSONSerialization.jsonObject(with: Data(diff.stdout.utf8)) as? [String: Any]
        let changes = parsed?["changes"] as? [[String: Any]] ?? []
        let lostAGrade = changes.contains { ($0["lost"] as? [String])?.contains { $0.hasPrefix("a_") } == true }
        let gainedAny = changes.contains { !(($0["gained"] as? [String]) ?? []).isEmpty }
        #expect(!changes.isEmpty && lostAGrade && !gainedAny)

        let second = try run(["rules", "activate", candidate.path, "--author", "tester", "--as-of", "2024-06-01"])
        #expect(second.status == 0, "\(second.stderr)")
        let status = try run(["rules", "status", "--format", "csv"])
        #expect(status.stdout.split(separator: "\n").count == 3, "two versions and a header: \(status.stdout)")
        let back = try run(["rules", "rollback", "--author", "tester"])
        #expect(back.status == 0, "\(back.stderr)")
        #expect(try decisions() == original)

        let explain = try run(["rules", "explain", "91350200MA2XH1K70Y", "--as-of", "2024-06-01", "--format", "table"])
        #expect(explain.status == 0, "\(explain.stderr)")
        // A 2024 case: the 2016 memorandum, which revises the 2014 one, is the one that fires.
        let fired = explain.stdout.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("FIRED") && $0.contains(" tax2016_subject ") }
        let cites = explain.stdout.contains("record 81: taxCase tax/")
        #expect(fired && cites, "explain names the fired rule and the record it fired on")

        let audit = try run(["audit", "list", "--format", "json", "--limit", "1000"])
        #expect(audit.stdout.split(separator: "\n").filter { $0.contains("\"action\":\"rules.") }.count == 3, "\(audit.stdout)")
    }

    @Test(arguments: TestBackend.allCases) func reportAndBatchCheckFromTheCommandLine(_ backend: TestBackend) throws {
        let run = try RegistryCLI(backend, in: scratch)
        try ingestSamples(run)
        _ = try run(["rules", "activate", root.appendingPathComponent("rules").path, "--author", "tester"])
        let byCode = try run(["report", "91350200MA2XH1K70Y", "--format", "json", "--as-of", "2024-06-01"])
        let byLegacy = try run(["report", "350200201603011", "--format", "json", "--as-of", "2024-06-01"])
        #expect(byCode.status == 0, "\(byCode.stderr)")
        #expect(byCode.stdout == byLegacy.stdout)
        #expect(byCode.stdout.contains("tax_grade_d"))
        let notFound = try run(["report", "91350100M000100Y43"])
        #expect(notFound.status == 1)

        let out = dir.appendingPathComponent("verdicts.jsonl").path
        let check = try run(["check", sample("bank/counterparties.csv"), "--format", "json", "--out", out])
        #expect(check.status == 0, "\(check.stderr)")
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 41)
        let gb = try run(["check", sample("bank/counterparties-gb18030.csv"), "--format", "json"])
        #expect(gb.stdout.split(separator: "\n").map(String.init) == lines.map(String.init))
    }

    @Test(arguments: TestBackend.allCases) func auditLogRecordsLookUpsAndDetectsTampering(_ backend: TestBackend) throws {
        let run = try RegistryCLI(backend, in: scratch)
        try ingestSamples(run)
        _ = try run(["report", "91350200MA2XH1K70Y", "--actor", "officer-7"])
        _ = try run(["report", "91350200MA2XH1K70Y", "--actor", "officer-7", "--unmask"])
        let list = try run(["audit", "list", "--subject", "350200201603011", "--format", "csv"])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("officer-7"))
        #expect(list.stdout.contains("unmask"))
        let ok = try run(["audit", "verify", "--format", "json"])
        #expect(ok.status == 0 && ok.stdout.contains("\"intact\":true"))
        try run.registry.tamperWithAuditLog(
            sqlite: "DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'someone-else' WHERE id = 1",
            postgres: "ALTER TABLE audit DISABLE TRIGGER USER; UPDATE audit SET actor = 'someone-else' WHERE id = 1")
        let broken = try run(["audit", "verify", "--format", "table"])
        #expect(broken.status == 1)
        #expect(broken.stdout.contains("entry_altered: entry 1: its MAC does not match its content"), "\(broken.stdout)")
    }

    @Test(arguments: TestBackend.allCases) func batchCheckShowsTheStatusOnTheAsOfDay(_ backend: TestBackend) throws {
        let run = try RegistryCLI(backend, in: scratch)
        try ingestSamples(run)
        let input = dir.appendingPathComponent("two.csv").path
        try "code,name\n91350200MA3CEF5N07,厦门东方贸易有限公司\n".write(toFile: input, atomically: true, encoding: .utf8)
        let before = try run(["check", input, "--format", "json", "--as-of", "2022-09-29"])
        let after = try run(["check", input, "--format", "json", "--as-of", "2022-09-30"])
        let today = try run(["check", input, "--format", "json"])
        #expect(before.stdout.contains("\"status\":\"active\""), "\(before.stdout)")
        #expect(after.stdout.contains("\"status\":\"revoked\""), "\(after.stdout)")
        #expect(today.stdout.contains("\"status\":\"revoked\""), "\(today.stdout)")
    }
}
