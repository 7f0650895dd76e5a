import CreditTestSupport
import Foundation
import GRDB
import Testing

/// `creditctl bridge import-national FILE --db postgres://…`: the same list entries, decisions
/// and exchange outbox as on SQLite, in one transaction, and a second import changes nothing.
@Suite(.serialized)
struct NationalListOnPostgresTests {
    static func sample(_ path: String) -> String { CreditCtl.packageRoot.appendingPathComponent("samples/" + path).path }

    /// The outbox messages (kind, subject, payload) in queue order.
    static func outbox(sqlite path: String) throws -> [String] {
        try DatabaseQueue(path: path).read { db in
            try Row.fetchAll(db, sql: "SELECT kind, subject_code, payload FROM outbox ORDER BY sequence").map { "\($0[0] as String) | \($0[1] as String? ?? "") | \($0[2] as String)" }
        }
    }

    static func outbox(postgres url: String) throws -> [String] {
        try TestPostgres.psql(url, "SELECT kind || ' | ' || coalesce(subject_code, '') || ' | ' || payload FROM outbox ORDER BY sequence")
            .split(separator: "\n").map(String.init)
    }

    @Test func nationalListImportGivesTheSameRowsDecisionsAndOutboxAsOnSQLite() async throws {
        try await onOwnThread {
            let scratch = try TemporaryDirectory("pg-national")
            let both = try RulesOnPostgresTests.Both(scratch)
            let feeds = ["feeds/commerce-0001-full.xml", "feeds/tax-0001-full.xml"].map(Self.sample)
            let ingest = try both.run(["ingest"] + feeds)
            #expect(ingest.sqlite.status == 0 && ingest.postgres.status == 0, "\(ingest.postgres.stderr)")
            #expect(try Self.outbox(postgres: both.url) == (try Self.outbox(sqlite: both.db)), "a bureau feed's list changes are queued alike")
            #expect(!(try Self.outbox(postgres: both.url)).isEmpty, "the tax feed's list entries are queued")
            try both.same(["rules", "activate", RulesOnPostgresTests.rules, "--author", "t"])

            let list = Self.sample("national/dishonest-debtors.csv")
            let imported = try both.run(["bridge", "import-national", list])
            #expect(imported.sqlite.status == imported.postgres.status, "\(imported.postgres.stderr)")
            let reports = RegistryRows.reports(imported.postgres.stdout)
            #expect(reports == RegistryRows.reports(imported.sqlite.stdout))
            #expect(reports.first?["outcome"] == "ingested" && reports.first?["bureau"] == "national", "\(reports)")
            #expect(try RegistryRows.postgres(both.url) == (try RegistryRows.sqlite(both.db, like: both.url)), "the same rows")
            try both.decisionsAgree("after the national list")
            #expect(try TestPostgres.psql(both.url, "SELECT count(*) FROM list_entry WHERE entry_key LIKE 'national:%'") != "0\n")
            #expect(try Self.outbox(postgres: both.url) == (try Self.outbox(sqlite: both.db)), "a national list is not sent back")

            let everything = try RegistryRows.postgres(both.url, excluding: [:])
            let decisions = try DecisionTable.postgres(both.url)
            let again = try both.run(["bridge", "import-national", list])
            #expect(RegistryRows.reports(again.postgres.stdout) == RegistryRows.reports(again.sqlite.stdout))
            #expect(RegistryRows.reports(again.postgres.stdout).first?["outcome"] == "already_ingested", "\(again.postgres.stdout)")
            #expect(try RegistryRows.postgres(both.url, excluding: [:]) == everything, "a second import changes no row")
            #expect(try DecisionTable.postgres(both.url) == decisions)
        }
    }
}
