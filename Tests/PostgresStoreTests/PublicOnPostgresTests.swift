import CreditQuery
import CreditRegistry
import CreditTestSupport
import Foundation
import GRDB
import PostgresStore
import Testing

/// The public query and the open-data publication on a PostgreSQL registry: the same bytes as
/// on the SQLite registry it was copied from (the same legal filters: natural persons never,
/// penalties within their publicity periods, public lists only).
@Suite(.serialized)
struct PublicOnPostgresTests {
    @Test func publishWritesTheSameBytesOnBothBackends() async throws {
        try await onOwnThread {
            let scratch = try TemporaryDirectory("pg-publish")
            let demo = try DemoOnPostgres(scratch)
            var trees: [[String: Data]] = []
            for (target, out) in [(demo.db, scratch.path("open-sqlite")), (demo.url, scratch.path("open-pg"))] {
                // Two publications: the second carries a delta against the first.
                for day in ["2024-06-30", "2026-11-30"] {
                    let r = try CreditCtl.run(["publish", "--db", target, "--audit-key", demo.key, "--out", out, "--as-of", day])
                    #expect(r.status == 0, "\(target) \(day): \(r.stdout) \(r.stderr)")
                }
                let again = try CreditCtl.run(["publish", "--db", target, "--audit-key", demo.key, "--out", out, "--as-of", "2026-11-30"])
                #expect(again.status == 65, "\(target): \(again.stderr)")
                trees.append(try Self.files(under: out))
            }
            #expect(trees[0].keys.sorted() == trees[1].keys.sorted())
            for (path, bytes) in trees[0] { #expect(trees[1][path] == bytes, "\(path) differs") }
            let subjects = try #require(trees[1]["2026-11-30/subjects.jsonl"])
            #expect(subjects.count > 0)
            // No natural person: every published code is an organisation's 18-character code, none a resident ID.
            let persons = try DatabaseQueue(path: demo.db).read { db in
                try String.fetchAll(db, sql: "SELECT code FROM subject WHERE kind = 'natural_person'")
            }
            let text = String(decoding: subjects, as: UTF8.self)
            #expect(!persons.isEmpty && persons.allSatisfy { !text.contains($0) })
        }
    }

    @Test func thePublicQueryAnswersAlikeOnBothBackends() async throws {
        let scratch = try TemporaryDirectory("pg-public")
        let demo = try DemoOnPostgres(scratch)
        let (codes, aliases) = try await DatabaseQueue(path: demo.db).read { db in
            (try String.fetchAll(db, sql: "SELECT code FROM subject ORDER BY code"),
             try String.fetchAll(db, sql: "SELECT value FROM alias WHERE value <> subject_code ORDER BY value LIMIT 20"))
        }
        let dir = URL(fileURLWithPath: scratch.path(""))
        let rate = ["--public-rate", "100000", "--public-burst", "100000"]
        let pg = try await Server(["--db", demo.url, "--audit-key", demo.key] + rate, scratch: dir, name: "pg")
        defer { pg.stop() }
        let sqlite = try await Server(["--db", demo.db] + rate, scratch: dir, name: "sqlite")
        defer { sqlite.stop() }
        var paths = (codes + aliases + ["91350200MA0000000X"]).map { "/public/v1/subjects/\($0)" }
        paths += ["科技", "厦门", "有限公司", "华兴", "科", "张"].map { "/public/v1/search?q=" + $0.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)! }
        var found = 0
        for path in paths {
            let (a, b) = (try await sqlite.get(path), try await pg.get(path))
            #expect(a.status == b.status && a.body == b.body, "\(path): SQLite \(a.status) \(a.body) vs PostgreSQL \(b.status) \(b.body)")
            if b.status == 200 { found += 1 }
        }
        #expect(found > codes.count / 2, "most subjects are public: \(found) of \(paths.count)")
    }

    /// The publication's pages (one cursor, a page of subjects and their facts at a time) hand
    /// over the public subjects in SQLite's order with the same inputs, whatever the page size.
    @Test(arguments: [1, 4, 10_000])
    func everyPageSizeHandsOverTheSameInputsAsSQLite(_ pageSize: Int) async throws {
        try await onOwnThread {
            let scratch = try TemporaryDirectory("pg-public-pages")
            let demo = try DemoOnPostgres(scratch)
            let onSQLite = LockedBox<[PublicInputs]>([])
            try RegistryPublicFacts(registry: try Registry(path: demo.db)).forEachPublicSubject { i in onSQLite.withValue { $0.append(i) } }
            let pool = PostgresSessionPool(location: try PostgresLocation(url: demo.url))
            defer { pool.close() }
            var reading = PostgresPublicFacts(pool: pool)
            reading.batchSize = pageSize
            let onPostgres = LockedBox<[PublicInputs]>([])
            try reading.forEachPublicSubject { i in onPostgres.withValue { $0.append(i) } }
            #expect(onSQLite.value.count > 10)
            #expect(onPostgres.value.map(\.subject.code) == onSQLite.value.map(\.subject.code))
            #expect(onPostgres.value == onSQLite.value)
        }
    }

    /// Every regular file under `root`, by path relative to it.
    static func files(under root: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let base = URL(fileURLWithPath: root).standardizedFileURL.path + "/"
        guard let e = FileManager.default.enumerator(atPath: root) else { return out }
        for case let relative as String in e {
            let full = URL(fileURLWithPath: base + relative)
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: full.path, isDirectory: &isDir), !isDir.boolValue {
                out[relative] = try Data(contentsOf: full)
            }
        }
        return out
    }
}
