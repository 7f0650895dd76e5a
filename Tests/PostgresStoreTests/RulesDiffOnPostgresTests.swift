import CreditRegistry
import CreditTestSupport
import Foundation
import GRDB
import Testing

/// `creditctl rules diff` on the demo registry copied into PostgreSQL prints, byte for byte,
/// what it prints on SQLite, in every format, for candidates that add a measure, remove one,
/// change nothing or do not compile; reading the facts a few subjects at a time (so that the
/// subjects, and the organisations whose measures reach their persons, fall in different
/// batches) changes nothing; and neither backend writes an audit entry for it.
@Suite(.serialized)
struct RulesDiffOnPostgresTests {
    static let rules = CreditCtl.packageRoot.appendingPathComponent("rules").path

    /// A measure and a rule that gives it to every A-grade taxpayer (appended to the A-grade memorandum's file).
    static let addedRule = """
        measure a_extra_notice {
          text "A级纳税人名单推送至行业主管部门"
          department sat
          basis "发改财金〔2016〕1467号"
          category administrative
        }

        rule a_extra_notice_rule {
          title "最新公布的纳税信用级别为A级"
          reward when latest_grade = A
          apply a_extra_notice
          to subject
          while held
        }

        """

    /// The candidate rule directories, by what they do to the active (shipped) rule set.
    struct Candidates {
        let unchanged = RulesDiffOnPostgresTests.rules
        let adding: String, removing: String, invalid: String
        /// Without the wage-arrears memorandum, whose measures also reach the legal representative
        /// of a listed employer (in the demo a person whose code sorts batches before its employer's).
        let removingPersons: String

        init(_ scratch: TemporaryDirectory) throws {
            let fm = FileManager.default
            adding = scratch.path("rules-adding"); removing = scratch.path("rules-removing"); invalid = scratch.path("rules-invalid")
            for dir in [adding, removing, invalid] { try fm.copyItem(atPath: RulesDiffOnPostgresTests.rules, toPath: dir) }
            let grade = adding + "/a_grade_taxpayer_2016_1467.rules"
            try (try String(contentsOfFile: grade, encoding: .utf8) + "\n" + RulesDiffOnPostgresTests.addedRule).write(toFile: grade, atomically: true, encoding: .utf8)
            try fm.removeItem(atPath: removing + "/a_grade_taxpayer_2016_1467.rules")
            removingPersons = scratch.path("rules-removing-persons")
            try fm.copyItem(atPath: RulesDiffOnPostgresTests.rules, toPath: removingPersons)
            try fm.removeItem(atPath: removingPersons + "/wage_arrears_2021_45.rules")
            try "rule broken {\n  title \"no condition\"\n  apply nowhere\n}\n".write(toFile: invalid + "/zz_broken.rules", atomically: true, encoding: .utf8)
        }
    }

    static func auditCount(_ demo: DemoOnPostgres, _ scratch: TemporaryDirectory) throws -> (sqlite: Int, postgres: Int) {
        let sqlite = try DatabaseQueue(path: scratch.path("credit.audit.db")).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM audit") ?? 0 }
        let postgres = Int(try TestPostgres.psql(demo.url, "SELECT count(*) FROM audit").trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        return (sqlite, postgres)
    }

    struct Diff: Decodable {
        var subjectsEvaluated: Int
        struct Change: Decodable { var subject: String; var gained: [String]; var lost: [String] }
        var changes: [Change]
    }

    @Test func diffPrintsTheSameOnBothBackends() async throws {
        try await onOwnThread {
            let scratch = try TemporaryDirectory("pg-rules-diff")
            let demo = try DemoOnPostgres(scratch)
            let candidates = try Candidates(scratch)
            let auditBefore = try Self.auditCount(demo, scratch)
            func both(_ arguments: [String]) throws -> (sqlite: ProcessOutput, postgres: ProcessOutput) {
                (try CreditCtl.run(["rules", "diff"] + arguments + ["--db", demo.db]),
                 try CreditCtl.run(["rules", "diff"] + arguments + ["--db", demo.url, "--audit-key", demo.key]))
            }

            var diffs: [String: Diff] = [:]
            for (what, dir) in [("adding", candidates.adding), ("removing", candidates.removing), ("unchanged", candidates.unchanged)] {
                for format in ["table", "json", "csv"] {
                    let (s, p) = try both(["--rules", dir, "--format", format, "--limit", "1000"])
                    #expect(s.status == 0 && p.status == 0, "\(what) \(format): \(s.stderr) | \(p.stderr)")
                    #expect(p.stdout == s.stdout, "\(what) \(format): PostgreSQL printed\n\(p.stdout)\nSQLite printed\n\(s.stdout)")
                    if format == "json" { diffs[what] = try JSONDecoder().decode(Diff.self, from: Data(p.stdout.utf8)) }
                }
            }
            let adding = try #require(diffs["adding"]), removing = try #require(diffs["removing"]), unchanged = try #require(diffs["unchanged"])
            #expect(adding.subjectsEvaluated > 10, "the demo registry has subjects")
            #expect(!adding.changes.isEmpty && adding.changes.allSatisfy { $0.gained == ["a_extra_notice"] && $0.lost.isEmpty },
                    "the added measure is gained, nothing lost")
            #expect(!removing.changes.isEmpty && removing.changes.allSatisfy { $0.gained.isEmpty && $0.lost.allSatisfy { $0.hasPrefix("a_") } },
                    "the removed memorandum's measures are lost")
            #expect(unchanged.changes.isEmpty && unchanged.subjectsEvaluated == adding.subjectsEvaluated)

            // A rule set that does not compile: the same diagnostics and the same exit, before any registry is read.
            let (s, p) = try both(["--rules", candidates.invalid, "--format", "table"])
            #expect(s.status == 1 && p.status == s.status, "\(s.status) \(p.status)")
            #expect(!s.stdout.isEmpty && p.stdout == s.stdout, "\(p.stdout) | \(s.stdout)")

            // A diff only reads: no audit entry on either backend.
            let auditAfter = try Self.auditCount(demo, scratch)
            #expect(auditAfter.sqlite == auditBefore.sqlite && auditAfter.postgres == auditBefore.postgres, "\(auditBefore) → \(auditAfter)")
        }
    }

    /// Facts read 1, 3 or 7 subjects at a time give the diff SQLite's stream gives: a subject's
    /// facts do not depend on its batch, and measures reaching persons through organisations of
    /// other batches are still merged.
    @Test func smallBatchesGiveTheSameDiff() async throws {
        try await onOwnThread {
            let scratch = try TemporaryDirectory("pg-rules-diff-batches")
            let demo = try DemoOnPostgres(scratch)
            let candidates = try Candidates(scratch)
            // Keyed as the diff prints subjects: a person's resident ID masked.
            let subjects = try DatabaseQueue(path: demo.db).read { db in
                try Row.fetchAll(db, sql: "SELECT code, kind FROM subject").map { (code: $0[0] as String, kind: $0[1] as String) }
            }
            let kinds = Dictionary(subjects.map { (IdentityMask.forDisplay($0.code), $0.kind) }, uniquingKeysWith: { a, _ in a })
            for dir in [candidates.adding, candidates.removingPersons] {
                let s = try CreditCtl.run(["rules", "diff", "--rules", dir, "--format", "json", "--db", demo.db])
                #expect(s.status == 0, "\(s.stderr)")
                let diff = try JSONDecoder().decode(Diff.self, from: Data(s.stdout.utf8))
                let evaluated = diff.subjectsEvaluated
                if dir == candidates.removingPersons {
                    #expect(diff.changes.contains { kinds[$0.subject] == "natural_person" }, "persons lose measures through their organisations")
                    #expect(diff.changes.contains { kinds[$0.subject] != "natural_person" })
                    let shown = subjects.filter { $0.kind == "natural_person" && s.stdout.contains($0.code) }.map(\.code)
                    #expect(shown.isEmpty, "resident IDs printed unmasked: \(shown)")
                }
                for size in [1, 3, 7] {
                    #expect(evaluated > size * 2, "the diff crosses batches of \(size)")
                    let p = try CreditCtl.run(["rules", "diff", "--rules", dir, "--format", "json", "--batch-size", String(size),
                                               "--db", demo.url, "--audit-key", demo.key])
                    #expect(p.status == 0, "\(p.stderr)")
                    #expect(p.stdout == s.stdout, "batches of \(size): \(p.stdout) vs \(s.stdout)")
                }
            }
            let zero = try CreditCtl.run(["rules", "diff", "--rules", candidates.adding, "--batch-size", "0", "--db", demo.url, "--audit-key", demo.key])
            #expect(zero.status == 64 && zero.stderr.contains("--batch-size 0"), "\(zero.stderr)")
        }
    }
}
