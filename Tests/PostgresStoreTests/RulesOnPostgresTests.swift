import CreditQuery
import CreditRegistry
import CreditTestSupport
import Foundation
import PostgresNIO
@testable import PostgresStore
import Testing

/// `creditctl rules activate|rollback|refresh` and feeds re-evaluating their subjects on
/// `--db postgres://…`: the same rules and the same feeds give the same decision rows as on
/// SQLite (against a real cluster, TestPostgres).
@Suite(.serialized)
struct RulesOnPostgresTests {
    static func sample(_ path: String) -> String { CreditCtl.packageRoot.appendingPathComponent("samples/" + path).path }
    static let rules = CreditCtl.packageRoot.appendingPathComponent("rules").path

    /// A SQLite registry and a PostgreSQL one, each command run on both.
    struct Both {
        let db: String, url: String, key: String

        init(_ scratch: TemporaryDirectory) throws {
            db = scratch.path("credit.db"); key = scratch.path("credit.audit.key"); url = try TestPostgres.database()
        }

        func run(_ arguments: [String], today: String = "2026-11-30") throws -> (sqlite: ProcessOutput, postgres: ProcessOutput) {
            (try CreditCtl.run(arguments + ["--db", db, "--format", "json"], today: today),
             try CreditCtl.run(arguments + ["--db", url, "--audit-key", key, "--format", "json"], today: today))
        }

        /// Runs on both, expects success on both and the same summaries; returns PostgreSQL's output.
        @discardableResult
        func same(_ arguments: [String], summaryKey: String? = nil, today: String = "2026-11-30") throws -> ProcessOutput {
            let (s, p) = try run(arguments, today: today)
            #expect(s.status == 0 && p.status == 0, "\(arguments): \(s.stderr) | \(p.stderr)")
            #expect(DecisionTable.summaries(p.stdout, key: summaryKey) == DecisionTable.summaries(s.stdout, key: summaryKey), "\(arguments)")
            #expect(!DecisionTable.summaries(p.stdout, key: summaryKey).isEmpty, "\(arguments) printed a summary: \(p.stdout)")
            return p
        }

        func decisionsAgree(_ what: String) throws {
            let onPostgres = try DecisionTable.postgres(url)
            #expect(!onPostgres.isEmpty, "\(what): decisions were written")
            #expect(onPostgres == (try DecisionTable.sqlite(db)), "\(what): the same decision rows")
        }
    }

    /// Activation, activation of another version, rollback and a refresh as of another day give
    /// the same summaries and decision rows on both stores; the versions are kept in PostgreSQL.
    @Test func activationRollbackAndRefreshGiveTheSameDecisionsAsOnSQLite() async throws {
        try await onOwnThread {
            let scratch = try TemporaryDirectory("pg-rules-activate")
            let both = try Both(scratch)
            let feeds = ["feeds/commerce-0001-full.xml", "feeds/commerce-0002-delta.xml", "feeds/tax-0001-full.xml", "feeds/food-0001-full.xml"]
            _ = try both.run(["ingest"] + feeds.map(Self.sample))
            try both.same(["rules", "activate", Self.rules, "--author", "t"])
            try both.decisionsAgree("activation")

            // Another version: without the reward memorandum, so that its decisions differ.
            let other = scratch.path("rules-2")
            try FileManager.default.copyItem(atPath: Self.rules, toPath: other)
            try FileManager.default.removeItem(atPath: other + "/a_grade_taxpayer_2016_1467.rules")
            let before = try DecisionTable.postgres(both.url)
            try both.same(["rules", "activate", other, "--author", "t"])
            try both.decisionsAgree("another version")
            #expect(try DecisionTable.postgres(both.url) != before, "the other version decides otherwise")

            try both.same(["rules", "rollback"])
            try both.decisionsAgree("rollback")
            #expect(try DecisionTable.postgres(both.url).map { $0.replacingOccurrences(of: "operator", with: "t") } == before,
                    "rolled back to the first version's decisions")

            try both.same(["rules", "refresh", "--as-of", "2027-06-01"])
            try both.decisionsAgree("refresh as of another day")
            #expect(try TestPostgres.psql(both.url, "SELECT DISTINCT evaluated_on FROM decision").hasPrefix("2027-06-01"))

            let status = try CreditCtl.run(["rules", "status", "--db", both.url, "--audit-key", both.key, "--format", "json"])
            #expect(status.status == 0, "\(status.stderr)")
            let versions = DecisionTable.summaries(status.stdout)
            #expect(versions.count == 2 && versions.filter { $0["active"] == "1" }.count == 1, "\(status.stdout)")
            let unknown = try CreditCtl.run(["rules", "rollback", "ffff", "--db", both.url, "--audit-key", both.key])
            #expect(unknown.status == 1 && unknown.stderr.contains("ffff"), "an unknown version is refused: \(unknown.stderr)")
            // Every change is in the PostgreSQL audit chain.
            let actions = try TestPostgres.psql(both.url, "SELECT action FROM audit WHERE action LIKE 'rules.%' ORDER BY id")
            #expect(actions.split(separator: "\n") == ["rules.activate", "rules.activate", "rules.rollback"], "\(actions)")
        }
    }

    /// A generated registry whose persons serve several firms (measures extended to key persons,
    /// merged across organisations) gets the same decisions on both stores.
    @Test func generatedRegistryGetsTheSameDecisionsAsOnSQLite() async throws {
        try await onOwnThread {
            let scratch = try TemporaryDirectory("pg-rules-generated")
            let gen = try CreditCtl.run(["samples", "generate", "--subjects", "300", "--seed", "7", "--out", scratch.path("feeds"), "--bank-rows", "0"])
            #expect(gen.status == 0, "\(gen.stderr)")
            let both = try Both(scratch)
            _ = try both.run(["ingest"] + ["tax-0001-full.xml", "food-0001-full.xml", "commerce-0001-full.xml"].map { scratch.path("feeds/" + $0) })
            try both.same(["rules", "activate", Self.rules, "--author", "t"])
            try both.decisionsAgree("generated registry")
            let extended = try TestPostgres.psql(both.url, "SELECT count(*) FROM decision WHERE via_code IS NOT NULL")
            #expect((Int(extended.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 0, "measures extended to persons: \(extended)")
        }
    }

    /// With a rule set active, each feed re-evaluates the subjects it touched inside its own
    /// transaction: the same re-evaluation and decisions as on SQLite, and a look-up right after
    /// the feed answers with the measures the feed brought.
    @Test func feedsReevaluateTheirSubjectsAsOnSQLite() async throws {
        try await onOwnThread {
            let scratch = try TemporaryDirectory("pg-rules-feeds")
            let both = try Both(scratch)
            let first = try both.run(["ingest", Self.sample("feeds/commerce-0001-full.xml")])
            #expect(first.sqlite.status == 0 && first.postgres.status == 0, "\(first.postgres.stderr)")
            try both.same(["rules", "activate", Self.rules, "--author", "t"])
            let activated = try DecisionTable.postgres(both.url)
            for feed in ["feeds/commerce-0002-delta.xml", "feeds/tax-0001-full.xml", "feeds/food-0001-full.xml"] {
                let p = try both.same(["ingest", Self.sample(feed)], summaryKey: "reevaluation")
                #expect(!p.stderr.contains("not re-evaluated"), "\(p.stderr)")
                try both.decisionsAgree(feed)
            }
            #expect(try DecisionTable.postgres(both.url) != activated, "the feeds changed decisions")

            // A subject the tax feed put under measures: the PostgreSQL look-up answers with them.
            let code = try TestPostgres.psql(both.url, """
                SELECT d.subject_code FROM decision d JOIN record r ON d.caused_by LIKE '%' || r.id || '%' WHERE r.bureau = 'tax' LIMIT 1
                """).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(!code.isEmpty)
            let pool = PostgresSessionPool(location: try PostgresLocation(url: both.url))
            defer { pool.close() }
            let found = try PostgresRegistryReading(pool: pool)
                .lookUpMeasures([MeasuresQuery(identifier: code, asOf: try Day("2026-11-30"), maySeePersonalIDs: true)])[0].get()
            #expect(found?.measures.isEmpty == false, "the look-up after the feed shows its measures: \(String(describing: found))")
        }
    }

    /// An activation waits while another session holds the rule set's advisory lock (as another
    /// process's activation does) and commits after it; a feed with decisions to re-evaluate
    /// waits likewise, and nothing of it is visible until it commits.
    @Test func activationAndFeedsWaitForTheRuleLock() async throws {
        try await onOwnThread {
            let scratch = try TemporaryDirectory("pg-rules-lock")
            let both = try Both(scratch)
            @Sendable func onPostgres(_ arguments: [String]) throws -> ProcessOutput {
                try CreditCtl.run(arguments + ["--db", both.url, "--audit-key", both.key, "--format", "json"])
            }
            #expect(try onPostgres(["ingest", Self.sample("feeds/commerce-0001-full.xml")]).status == 0)
            #expect(try onPostgres(["rules", "activate", Self.rules, "--author", "t"]).status == 0)
            let other = scratch.path("rules-2")
            try FileManager.default.copyItem(atPath: Self.rules, toPath: other)
            try FileManager.default.removeItem(atPath: other + "/a_grade_taxpayer_2016_1467.rules")
            let first = try TestPostgres.psql(both.url, "SELECT version FROM ruleset WHERE active = 1")

            let holder = try PostgresSession.connect(to: try PostgresLocation(url: both.url))
            defer { holder.close() }
            for (arguments, pending) in [(["rules", "activate", other, "--author", "t"], "SELECT version FROM ruleset WHERE active = 1"),
                                         (["ingest", Self.sample("feeds/tax-0001-full.xml")], "SELECT count(*) FROM feed WHERE bureau = 'tax'")] {
                let before = try TestPostgres.psql(both.url, pending)
                try holder.query("SELECT pg_advisory_lock(\(PostgresDecisionStore.lockKey))")
                let result = LockedBox<ProcessOutput?>(nil)
                let finished = DispatchSemaphore(value: 0)
                Thread { result.value = try? onPostgres(arguments); finished.signal() }.start()
                try Self.waitForRuleLockWaiter(both.url)
                #expect(try TestPostgres.psql(both.url, pending) == before, "\(arguments[0]): nothing committed while it waits")
                try holder.query("SELECT pg_advisory_unlock(\(PostgresDecisionStore.lockKey))")
                finished.wait()
                #expect(result.value?.status == 0, "\(result.value?.stderr ?? "")")
                #expect(try TestPostgres.psql(both.url, pending) != before, "\(arguments[0]) committed after the lock was released")
            }
            #expect(try TestPostgres.psql(both.url, "SELECT version FROM ruleset WHERE active = 1") != first)
            let versions = try TestPostgres.psql(both.url, "SELECT DISTINCT ruleset_version FROM decision")
            #expect(versions.split(separator: "\n").count == 1, "one rule set's decisions: \(versions)")
        }
    }

    /// Waits until a session of the database `url` waits for the rule set's advisory lock.
    static func waitForRuleLockWaiter(_ url: String) throws {
        let key = UInt64(bitPattern: PostgresDecisionStore.lockKey)
        let query = """
            SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = \(key >> 32)
                AND objid = \(key & 0xFFFF_FFFF) AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """
        for _ in 0..<3_000 {
            if try TestPostgres.psql(url, query).hasPrefix("1") { return }
            Thread.sleep(forTimeInterval: 0.02)
        }
        Issue.record("nobody waited for the rule set's lock")
    }
}
