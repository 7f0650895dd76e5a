import CreditTestSupport
import Foundation
import GRDB
import Testing

/// `creditctl rules list --measures`, `rules explain` and `rules verify` on PostgreSQL do what they do on
/// SQLite: the subjects each measure reaches, and for a subject every rule that fired or did not,
/// with the records it rests on (through organisations for a person); a verification recorded with
/// the same decisions re-evaluated and the same audit entry.
@Suite(.serialized)
struct RuleCommandsOnPostgresTests {
    @Test func measuresAndExplanationsAreTheSameOnBothBackends() async throws {
        try await onOwnThread {
            let scratch = try TemporaryDirectory("pg-rule-reading")
            let both = try RulesOnPostgresTests.Both(scratch)
            let feeds = ["feeds/commerce-0001-full.xml", "feeds/commerce-0002-delta.xml", "feeds/tax-0001-full.xml", "feeds/food-0001-full.xml"]
            let ingest = try both.run(["ingest"] + feeds.map(NationalListOnPostgresTests.sample))
            #expect(ingest.sqlite.status == 0 && ingest.postgres.status == 0, "\(ingest.postgres.stderr)")
            try both.same(["rules", "activate", RulesOnPostgresTests.rules, "--author", "t"])

            let (ls, lp) = try both.run(["rules", "list", "--measures"])
            #expect(ls.status == 0 && lp.status == 0, "\(lp.stderr)")
            #expect(lp.stdout == ls.stdout)
            #expect(lp.stdout.contains(#""subjects":1"#) || lp.stdout.contains(#""subjects":2"#), "some measure reaches subjects: \(lp.stdout.prefix(300))")

            // Every subject with a decision or a relation, and one through an alias.
            let codes = try DatabaseQueue(path: both.db).read { db in
                try String.fetchAll(db, sql: """
                    SELECT code FROM subject WHERE code IN (SELECT subject_code FROM decision) OR code IN (SELECT to_code FROM relation)
                    ORDER BY code LIMIT 8
                    """)
            }
            #expect(codes.count >= 6)
            var fired = 0
            for (i, code) in codes.enumerated() {
                for format in i < 2 ? ["table", "json"] : ["table"] {
                    let (s, p) = (try CreditCtl.run(["rules", "explain", code, "--as-of", "2025-06-30", "--db", both.db, "--format", format]),
                                  try CreditCtl.run(["rules", "explain", code, "--as-of", "2025-06-30", "--db", both.url, "--audit-key", both.key,
                                                     "--format", format]))
                    #expect(s.status == 0 && p.status == 0, "\(code): \(p.stderr)")
                    #expect(p.stdout == s.stdout, "\(code) \(format)")
                    if format == "table" { fired += p.stdout.components(separatedBy: "FIRED").count - 1 }
                }
            }
            #expect(fired > 0, "some rule fired")
            let unknown = try both.run(["rules", "explain", "91350100M000100Y43"])
            #expect(unknown.sqlite.status == 1 && unknown.postgres.status == 1, "\(unknown.postgres.stderr)")
        }
    }

    @Test func aVerificationIsRecordedAndReevaluatedAsOnSQLite() async throws {
        try await onOwnThread {
            let scratch = try TemporaryDirectory("pg-rules-verify")
            let both = try RulesOnPostgresTests.Both(scratch)
            let feeds = ["feeds/commerce-0001-full.xml", "feeds/tax-0001-full.xml"]
            let ingest = try both.run(["ingest"] + feeds.map(NationalListOnPostgresTests.sample))
            #expect(ingest.sqlite.status == 0 && ingest.postgres.status == 0, "\(ingest.postgres.stderr)")
            try both.same(["rules", "activate", RulesOnPostgresTests.rules, "--author", "t"])
            // A measure waiting on a fact an officer must verify, else any subject with a decision.
            let (code, fact) = try DatabaseQueue(path: both.db).read { db -> (String, String) in
                if let row = try Row.fetchOne(db, sql: "SELECT subject_code, to_verify FROM decision WHERE to_verify <> '' ORDER BY subject_code LIMIT 1") {
                    return (row[0], String((row[1] as String).split(separator: ",")[0]))
                }
                return (try String.fetchOne(db, sql: "SELECT min(subject_code) FROM decision") ?? "", "tax_unpaid")
            }
            for (holds, n) in [("--holds", 1), ("--denied", 2)] {
                let (s, p) = try both.run(["rules", "verify", code, fact, holds, "--officer", "t"])
                #expect(s.status == 0 && p.status == 0, "\(p.stderr)")
                #expect(p.stdout == s.stdout, "\(holds)")
                #expect(p.stdout.contains(#""recordID":\#(n)"#) && !p.stdout.contains(#""subjectsReevaluated":null"#), "\(p.stdout)")
                try both.decisionsAgree("after \(fact) \(holds)")
            }
            let audit = try TestPostgres.psql(both.url, "SELECT count(*) FROM audit WHERE action = 'verify' AND subject = '\(code)'")
            #expect(audit == "2\n")
            let unknown = try both.run(["rules", "verify", "91350100M000100Y43", fact, "--holds"])
            #expect(unknown.sqlite.status == unknown.postgres.status && unknown.postgres.status != 0, "\(unknown.postgres.stderr)")
        }
    }
}
