import CreditTestSupport
import Foundation
import GRDB
import Testing

/// `creditctl feedback` on a PostgreSQL registry: one test plan run on the SQLite registry and
/// on its copy in PostgreSQL, with the same outcomes, refusals, stored rows, queued messages and
/// audit entries on both.
@Suite struct FeedbackOnPostgresTests {
    @Test func feedbackDoesOnPostgresWhatItDoesOnSQLite() async throws {
        try await onOwnThread {
            let scratch = try TemporaryDirectory("feedback-pg")
            let demo = try DemoOnPostgres(scratch)
            // A measure in force since some days before the decision table's day (2026-11-30), so that
            // an earlier day is judged by the rule set evaluated on the fly, the table's day by the table.
            let (subject, measure, department, from) = try DatabaseQueue(path: demo.db).read { db -> (String, String, String, String) in
                let row = try #require(try Row.fetchOne(db, sql: """
                    SELECT subject_code, measure, department, valid_from FROM decision
                    WHERE via_code IS NULL AND valid_from < '2026-11-20' AND (valid_until IS NULL OR valid_until > '2026-11-30')
                    ORDER BY subject_code, measure LIMIT 1
                    """))
                return (row[0], row[1], row[2], row[3])
            }
            let dayBefore = try #require(Self.day(from, plus: -1))
            // A subject on the major tax violation list from 2021-01-15 to 2024-01-15: the decision
            // table of 2026-11-30 holds none of its measures, the rule set evaluated on 2023-06-01 does.
            let exited = "91350200MA3HKL1U60"
            #expect(try DatabaseQueue(path: demo.db).read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM decision WHERE subject_code = ?", arguments: [exited])
            } == 0)
            /// (arguments, expected status, expected text on standard error)
            let plan: [([String], Int32, String)] = [
                ([subject, measure, "--department", department, "--case", "案-1", "--date", "2026-11-30"], 0, ""),
                ([subject, measure, "--department", department, "--case", "案-2", "--date", from], 0, ""),
                ([subject, measure, "--department", department, "--case", "案-3", "--date", dayBefore], 65, "is not in force"),
                ([subject, measure, "--department", "no-such-dept", "--case", "案-4", "--date", "2026-11-30"], 65,
                 "is applied by department \(department), not no-such-dept"),
                ([subject, "no_such_measure", "--department", department, "--case", "案-5", "--date", "2026-11-30"], 65, "is not in force"),
                ([subject, measure, "--department", department, "--case", "案-6", "--date", "2026-12-01"], 65, "after today"),
                ([subject, measure, "--department", department, "--case", "  ", "--date", "2026-11-30"], 65, "a case number is required"),
                ([exited, "tax_grade_d", "--department", "sat", "--case", "案-8", "--date", "2023-06-01"], 0, ""),
                ([exited, "tax_grade_d", "--department", "sat", "--case", "案-9", "--date", "2024-06-01"], 65, "is not in force"),
                (["91350200MA0000000X", measure, "--department", department, "--case", "案-7", "--date", "2026-11-30"], 65, "no subject has"),
            ]
            var lists: [String] = []
            var messages: [[String]] = []
            var audits: [[String]] = []
            for target in [demo.db, demo.url] {
                let auditBefore = try Self.audit(target, demo: demo).count
                let queuedBefore = try Self.feedbackMessages(target).count
                for (arguments, status, text) in plan {
                    let r = try CreditCtl.run(["feedback", "record"] + arguments + ["--db", target, "--audit-key", demo.key, "--actor", "cli:wang"])
                    #expect(r.status == status, "\(target) \(arguments): \(r.stdout) \(r.stderr)")
                    #expect(text.isEmpty || r.stderr.contains(text), "\(target) \(arguments): \(r.stderr)")
                }
                let list = try CreditCtl.run(["feedback", "list", subject, "--db", target, "--audit-key", demo.key, "--format", "json"])
                #expect(list.status == 0, "\(target): \(list.stderr)")
                // The time of recording differs between the two runs; everything else is the same.
                lists.append(list.stdout.replacing(/"recorded_?[aA]t":"[^"]*"/, with: ""))
                messages.append(Array(try Self.feedbackMessages(target).dropFirst(queuedBefore)))
                audits.append(Array(try Self.audit(target, demo: demo).dropFirst(auditBefore)))
            }
            #expect(lists[0] == lists[1])
            #expect(lists[1].contains("案-1") && lists[1].contains("案-2") && !lists[1].contains("案-3"), "\(lists[1])")
            #expect(messages[0] == messages[1])
            #expect(messages[1].count == 3 && messages[1][0...1].allSatisfy { $0.contains("\"measure\":\"\(measure)\"") }, "\(messages[1])")
            #expect(messages[1].last?.contains("\"case_number\":\"案-8\"") == true, "\(messages[1])")
            #expect(audits[0] == audits[1])
            // Audited before the transaction; the refusals of the transaction as `feedback.failed`.
            #expect(audits[1].map { $0.split(separator: " ")[0] } == ["feedback", "feedback", "feedback", "feedback.failed", "feedback",
                                                                      "feedback.failed", "feedback", "feedback.failed", "feedback", "feedback",
                                                                      "feedback.failed"], "\(audits[1])")
            // Append-only on PostgreSQL too.
            #expect(throws: (any Error).self) { try TestPostgres.psql(demo.url, "UPDATE feedback SET case_number = 'x'") }
        }
    }

    /// The `measure-feedback` messages of the outbox (kind, subject, payload), in sequence order.
    static func feedbackMessages(_ target: String) throws -> [String] {
        let sql = "SELECT kind || ' ' || subject_code || ' ' || payload FROM outbox WHERE kind = 'measure-feedback' ORDER BY sequence"
        if target.hasPrefix("postgres") {
            return try TestPostgres.psql(target, sql).split(separator: "\n").map(String.init)
        }
        return try DatabaseQueue(path: target).read { db in try String.fetchAll(db, sql: sql) }
    }

    /// The feedback audit entries (action, actor, subject, detail), in order.
    static func audit(_ target: String, demo: DemoOnPostgres) throws -> [String] {
        let sql = "SELECT action || ' ' || actor || ' ' || coalesce(subject, '') || ' ' || detail FROM audit WHERE action LIKE 'feedback%' ORDER BY id"
        if target.hasPrefix("postgres") {
            return try TestPostgres.psql(target, sql).split(separator: "\n").map(String.init)
        }
        let file = String(target.dropLast(".db".count)) + ".audit.db"
        return try DatabaseQueue(path: file).read { db in try String.fetchAll(db, sql: sql) }
    }

    static func day(_ text: String, plus days: Int) -> String? {
        let f = DateFormatter()
        f.calendar = Calendar(identifier: .gregorian); f.timeZone = TimeZone(identifier: "UTC"); f.dateFormat = "yyyy-MM-dd"
        guard let d = f.date(from: text) else { return nil }
        return f.string(from: d.addingTimeInterval(Double(days) * 86_400))
    }
}
