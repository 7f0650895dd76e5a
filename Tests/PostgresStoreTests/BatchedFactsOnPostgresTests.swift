import CreditTestSupport
import Foundation
import Testing

/// The facts a PostgreSQL feed writes in batches (``FactUpserts``) keep the order of the records
/// that wrote them: a key written twice in one feed, and a tax grade removed and given again
/// within one feed, end as on SQLite.
@Suite(.serialized)
struct BatchedFactsOnPostgresTests {
    static func grade(_ key: String, _ op: String, year: Int, _ grade: String) -> String {
        """
          <grade key="\(key)" op="\(op)">
            <code>91350200MA2YD3F81E</code>
            <name>厦门恒达贸易有限公司</name>
            <year>\(year)</year>
            <grade>\(grade)</grade>
            <publishedOn>\(year + 1)-04-20</publishedOn>
            <authority>国家税务总局厦门市税务局</authority>
          </grade>
        """
    }

    @Test func aGradeRemovedAndGivenAgainInOneFeedEndsAsOnSQLite() async throws {
        try await onOwnThread {
            let scratch = try TemporaryDirectory("pg-batched-facts")
            let tax = try String(contentsOfFile: IngestOnPostgresTests.sample("feeds/tax-0001-full.xml"), encoding: .utf8)
            let header = try #require(tax.components(separatedBy: "</header>").first) + "</header>\n"
            let body = [
                Self.grade("GRD-C02-2022", "upsert", year: 2022, "A"),
                Self.grade("GRD-C02-2022", "revoke", year: 2022, "A"),
                Self.grade("GRD-C02-2022-R", "upsert", year: 2022, "B"),
                Self.grade("GRD-C02-2023", "upsert", year: 2023, "A"),
                Self.grade("GRD-C02-2023", "upsert", year: 2023, "C"),
                Self.grade("GRD-C02-2024", "upsert", year: 2024, "M"),
                Self.grade("GRD-C02-2024", "revoke", year: 2024, "M"),
            ].joined(separator: "\n")
            let feed = scratch.path("tax.xml")
            try (header + body + "\n</feed>\n").write(toFile: feed, atomically: true, encoding: .utf8)
            let db = scratch.path("credit.db"), url = try TestPostgres.database()
            let onSQLite = try CreditCtl.run(["ingest", "--db", db, "--format", "json", feed])
            let onPostgres = try CreditCtl.run(["ingest", "--db", url, "--audit-key", scratch.path("k"), "--format", "json", feed])
            #expect(onSQLite.status == 0 && onPostgres.status == 0, "\(onSQLite.stderr) \(onPostgres.stderr)")
            #expect(RegistryRows.reports(onPostgres.stdout) == RegistryRows.reports(onSQLite.stdout))
            #expect(try TestPostgres.psql(url, "SELECT year, grade FROM tax_grade ORDER BY year")
                        .components(separatedBy: "\n").filter { !$0.isEmpty } == ["2022|B", "2023|C"])
            #expect(try RegistryRows.postgres(url) == (try RegistryRows.sqlite(db, like: url)))
        }
    }
}
