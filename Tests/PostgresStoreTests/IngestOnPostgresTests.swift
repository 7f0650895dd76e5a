import CreditRegistry
import CreditTestSupport
import Foundation
import PostgresNIO
@testable import PostgresStore
import Testing

/// `creditctl ingest --db postgres://…`: the same rows as on SQLite, idempotent, atomic, and
/// writers of one bureau serialised by its advisory lock (against a real cluster, TestPostgres).
@Suite(.serialized)
struct IngestOnPostgresTests {
    static func sample(_ path: String) -> String { CreditCtl.packageRoot.appendingPathComponent("samples/" + path).path }

    /// Every sample feed kind (commerce, tax, food; a delta with a correction, a revocation and
    /// records parked until their entry arrives; schema-invalid records quarantined with their
    /// line; a delta out of sequence refused) gives the same reports and the same rows in
    /// PostgreSQL as in SQLite; running the feeds again changes nothing.
    @Test func samplesGiveTheSameRowsAsOnSQLite() async throws {
        try await onOwnThread {
            let scratch = try TemporaryDirectory("pg-ingest-rows")
            // The tax sample split in two: its case removal arrives (and waits) before the cases.
            let tax = try String(contentsOfFile: Self.sample("feeds/tax-0001-full.xml"), encoding: .utf8).components(separatedBy: "\n")
            let firstCase = try #require(tax.firstIndex { $0.contains("<case ") }), removal = try #require(tax.firstIndex { $0.contains("<caseRemoval ") })
            let grades = scratch.path("tax-grades.xml"), cases = scratch.path("tax-cases.xml")
            try (tax[..<firstCase] + tax[removal...]).joined(separator: "\n").write(toFile: grades, atomically: true, encoding: .utf8)
            try (tax[..<firstCase].joined(separator: "\n")
                    .replacingOccurrences(of: "<feedId>STA-350200-20250630-FULL</feedId>", with: "<feedId>STA-350200-20250701-CASES</feedId>")
                    .replacingOccurrences(of: "<sequence>1</sequence>", with: "<sequence>2</sequence>")
                    .replacingOccurrences(of: "<kind>full</kind>", with: "<kind>delta</kind>")
                 + "\n" + tax[firstCase..<removal].joined(separator: "\n")
                    // Text that quoting must carry through unchanged: quotes, a backslash, dollar quotes, a comment.
                    .replacingOccurrences(of: "<facts>2020年1月", with: "<facts>O'Reilly \\ $w$ $$ ');-- 2020年1月")
                 + "\n</feed>\n")
                .write(toFile: cases, atomically: true, encoding: .utf8)
            let files = [Self.sample("feeds/commerce-0001-full.xml"), Self.sample("feeds/commerce-0002-delta.xml"), grades, cases]
                + ["feeds/food-0001-full.xml", "encoding/food-0002-delta.utf8.xml", "bad/commerce-schema-invalid.xml",
                   "bad/commerce-bad-check-digit.xml"].map(Self.sample)
            let db = scratch.path("credit.db"), url = try TestPostgres.database()
            let onSQLite = try CreditCtl.run(["ingest", "--db", db, "--format", "json"] + files)
            let onPostgres = try CreditCtl.run(["ingest", "--db", url, "--audit-key", scratch.path("k"), "--format", "json"] + files)
            #expect(onSQLite.status == 1 && onPostgres.status == 1, "rejects and a refusal: exit 1 (\(onPostgres.stderr))")
            let reports = RegistryRows.reports(onPostgres.stdout)
            #expect(reports.count == files.count)
            #expect(reports == RegistryRows.reports(onSQLite.stdout))
            #expect(reports.map { $0["outcome"] ?? "" } == ["ingested", "ingested", "ingested", "ingested", "ingested", "ingested", "ingested", "refused"])
            #expect(reports[2]["parked"] == "1" && reports[3]["released"] == "1", "the removal waits for its case: \(reports[2]) \(reports[3])")
            #expect(reports.last?["reason"]?.contains("out of sequence") == true, "\(reports.last ?? [:])")

            let rows = try RegistryRows.postgres(url)
            #expect(rows == (try RegistryRows.sqlite(db, like: url)))
            for table in ["subject", "record", "penalty", "licence", "tax_grade", "list_entry", "relation", "reject"] {
                #expect(!(rows[table] ?? []).isEmpty, "\(table) has rows")
            }
            #expect(try TestPostgres.psql(url, "SELECT count(*) FROM list_entry WHERE starts_with(reason, 'O''Reilly \\ $w$ $$ '');-- 2020')")
                    .hasPrefix("1"))
            let rejects = try TestPostgres.psql(url, "SELECT line, bureau_key, field FROM reject ORDER BY line")
            #expect(rejects.contains("42|PEN-BAD-FINE|"), "quarantined with its line: \(rejects)")

            let everything = try RegistryRows.postgres(url, excluding: [:])
            let again = try CreditCtl.run(["ingest", "--db", url, "--audit-key", scratch.path("k"), "--format", "json"] + files)
            #expect(RegistryRows.reports(again.stdout).map { $0["outcome"] ?? "" }
                    == Array(repeating: "already_ingested", count: 7) + ["refused"])
            #expect(try RegistryRows.postgres(url, excluding: [:]) == everything, "a re-run changes no row")
        }
    }

    /// Generated feeds of every bureau (persons named by several firms and records, subjects
    /// introduced by records before their registration) give the same rows as on SQLite.
    @Test func generatedFeedsGiveTheSameRowsAsOnSQLite() async throws {
        try await onOwnThread {
            let scratch = try TemporaryDirectory("pg-ingest-generated")
            let gen = try CreditCtl.run(["samples", "generate", "--subjects", "300", "--seed", "5", "--out", scratch.path("feeds"), "--bank-rows", "0"])
            #expect(gen.status == 0, "\(gen.stderr)")
            // Tax and food first: their records introduce subjects that the commerce registrations then rename.
            let files = ["tax-0001-full.xml", "food-0001-full.xml", "commerce-0001-full.xml"].map { scratch.path("feeds/" + $0) }
            let db = scratch.path("credit.db"), url = try TestPostgres.database()
            let onSQLite = try CreditCtl.run(["ingest", "--db", db, "--format", "json"] + files)
            let onPostgres = try CreditCtl.run(["ingest", "--db", url, "--audit-key", scratch.path("k"), "--format", "json"] + files)
            #expect(onPostgres.status == onSQLite.status, "\(onPostgres.stderr)")
            #expect(RegistryRows.reports(onPostgres.stdout) == RegistryRows.reports(onSQLite.stdout))
            let rows = try RegistryRows.postgres(url)
            #expect((rows["subject"] ?? []).count > 300)
            #expect(rows == (try RegistryRows.sqlite(db, like: url)))
        }
    }

    /// A feed that breaks off in the middle is refused whole with nothing of it written; a delta
    /// whose sequence is taken is refused and changes nothing.
    @Test func aBrokenFeedLeavesNothingAndATakenSequenceIsRefused() async throws {
        try await onOwnThread {
            let scratch = try TemporaryDirectory("pg-ingest-broken")
            let url = try TestPostgres.database()
            let ingest = { (files: [String]) in
                try CreditCtl.run(["ingest", "--db", url, "--audit-key", scratch.path("k"), "--format", "json"] + files)
            }
            let truncated = try ingest([Self.sample("bad/commerce-truncated.xml")])
            #expect(truncated.status == 1)
            let report = RegistryRows.reports(truncated.stdout).first ?? [:]
            #expect(report["outcome"] == "refused", "\(truncated.stdout) \(truncated.stderr)")
            #expect(report["reason"]?.contains("commerce-truncated.xml") == true, "\(report)")
            #expect(try RegistryRows.postgres(url, excluding: [:]).values.allSatisfy(\.isEmpty), "nothing of the broken feed is stored")

            #expect(try ingest([Self.sample("feeds/commerce-0001-full.xml"), Self.sample("feeds/commerce-0002-delta.xml")]).status == 0)
            let before = try RegistryRows.postgres(url, excluding: [:])
            // The delta again under another feed id: its sequence (2) is taken.
            let delta = try String(contentsOfFile: Self.sample("feeds/commerce-0002-delta.xml"), encoding: .utf8)
                .replacingOccurrences(of: "SAMR-350200-20250701-DELTA", with: "SAMR-350200-20250701-DELTA-AGAIN")
            let again = scratch.path("commerce-0002-again.xml")
            try delta.write(toFile: again, atomically: true, encoding: .utf8)
            let refused = try ingest([again])
            #expect(refused.status == 1)
            #expect(RegistryRows.reports(refused.stdout).first?["reason"]?.contains("out of sequence: expected sequence 3 after 2, got 2") == true,
                    "\(refused.stdout)")
            #expect(try RegistryRows.postgres(url, excluding: [:]) == before)
        }
    }

    /// Two ingests of one bureau wait for the bureau's advisory lock and run one after the other
    /// (the second finds the feed ingested; neither fails on the ledger's unique key), while a
    /// feed of another bureau goes through as long as the lock is held.
    @Test func writersOfOneBureauAreSerialised() async throws {
        try await onOwnThread {
            let scratch = try TemporaryDirectory("pg-ingest-lock")
            let url = try TestPostgres.database()
            #expect(try CreditCtl.run(["db", "migrate", "--db", url]).status == 0)
            let holder = try PostgresSession.connect(to: try PostgresLocation(url: url))
            defer { holder.close() }
            try holder.execute("BEGIN")
            let key = PostgresFeedStore.lockKey(bureau: "commerce")
            try holder.query("SELECT pg_advisory_xact_lock(\(key))")

            let commerce = Self.sample("feeds/commerce-0001-full.xml")
            let outputs = LockedBox<[ProcessOutput]>([])
            let group = DispatchGroup()
            for _ in 0..<2 {
                group.enter()
                Thread {
                    if let r = try? CreditCtl.run(["ingest", "--db", url, "--audit-key", scratch.path("k"), "--format", "json", commerce]) {
                        outputs.withValue { $0.append(r) }
                    }
                    group.leave()
                }.start()
            }
            // Both wait on the commerce lock (observed in pg_locks) ...
            var waiting = 0
            for _ in 0..<1200 where waiting < 2 {
                waiting = Int(try TestPostgres.psql(url, """
                    SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objsubid = 1
                        AND classid::bigint = \(UInt64(bitPattern: key) >> 32) AND objid::bigint = \(UInt64(bitPattern: key) & 0xffff_ffff)
                        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                    """).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
                if waiting < 2 { usleep(50_000) }
            }
            #expect(waiting == 2, "both commerce ingests wait for the bureau's lock")
            // ... while another bureau's feed is written meanwhile.
            let tax = try CreditCtl.run(["ingest", "--db", url, "--audit-key", scratch.path("k"), "--format", "json", Self.sample("feeds/tax-0001-full.xml")])
            #expect(tax.status == 0, "\(tax.stderr)")
            #expect(try TestPostgres.psql(url, "SELECT count(*) FROM feed WHERE bureau = 'commerce'").hasPrefix("0"))

            try holder.execute("COMMIT")
            group.wait()
            let results = outputs.value
            #expect(results.count == 2 && results.allSatisfy { $0.status == 0 }, "\(results.map(\.stderr))")
            let outcomes = results.compactMap { RegistryRows.reports($0.stdout).first?["outcome"] }.sorted()
            #expect(outcomes == ["already_ingested", "ingested"])
            #expect(try TestPostgres.psql(url, "SELECT bureau, count(*) FROM feed GROUP BY bureau ORDER BY bureau") == "commerce|1\ntax|1\n")
        }
    }
}
