import CreditTestSupport
import Foundation
import GRDB
import Testing

/// Two `creditctl serve` processes on one PostgreSQL registry answer look-ups and name searches
/// exactly as a server on the SQLite registry it was copied from, and write every look-up's
/// audit entry into one chain that verifies.
@Suite(.serialized)
struct TwoServersTests {
    @Test func twoServersOnOneDatabaseAnswerAlikeAndAuditEveryLookUp() async throws {
        let scratch = try TemporaryDirectory("pg-two-servers")
        let demo = try DemoOnPostgres(scratch)
        let (db, key, token, url) = (demo.db, demo.key, demo.token, demo.url)
        let auditBefore = try Self.auditCount(url)

        let codes = try await DatabaseQueue(path: db).read { db in
            try String.fetchAll(db, sql: "SELECT code FROM subject ORDER BY code LIMIT 40")
        }
        let ids = codes + ["91350100M000100Y43", "not-a-code"]
        let searches = ["科技", "厦门", "有限公司", "华兴", "科"]

        let dir = URL(fileURLWithPath: scratch.path(""))
        let a = try await Server(["--db", url, "--audit-key", key], scratch: dir, name: "a")
        defer { a.stop() }
        // B takes the database and the key from the environment.
        let b = try await Server([], scratch: dir, name: "b", environment: ["CREDIT_DB": url, "CREDIT_AUDIT_KEY": key])
        defer { b.stop() }
        let sqlite = try await Server(["--db", db], scratch: dir, name: "sqlite")
        defer { sqlite.stop() }

        var requests = 0
        // Both servers at once, each id asked of each: the same answer from A, B and the SQLite server.
        try await withThrowingTaskGroup(of: (String, [Server.Response]).self) { group in
            for id in ids {
                group.addTask {
                    let path = "/v1/subjects/\(id)/measures"
                    return (id, [try await a.get(path, token: token), try await b.get(path, token: token), try await sqlite.get(path, token: token)])
                }
            }
            for q in searches {
                group.addTask {
                    let path = "/v1/search?q=" + q.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!
                    return (q, [try await a.get(path, token: token), try await b.get(path, token: token), try await sqlite.get(path, token: token)])
                }
            }
            for try await (what, answers) in group {
                requests += 2
                #expect(answers[0].status == answers[2].status && answers[1].status == answers[2].status, "\(what): \(answers.map(\.status))")
                #expect(answers[0].body == answers[2].body, "\(what): A \(answers[0].body) vs SQLite \(answers[2].body)")
                #expect(answers[1].body == answers[2].body, "\(what): B \(answers[1].body) vs SQLite \(answers[2].body)")
            }
        }
        #expect(requests == (ids.count + searches.count) * 2)
        let found = try await a.get("/v1/subjects/\(codes[0])/measures", token: token)
        #expect(found.status == 200 && found.body.contains(codes[0]), "a look-up finds the subject: \(found.body)")
        requests += 1
        a.stop(); b.stop(); sqlite.stop()

        // Every look-up and search of A and B is one entry of one chain, and the chain verifies.
        #expect(try Self.auditCount(url) - auditBefore == requests)
        let verify = try CreditCtl.run(["audit", "verify", "--db", url, "--audit-key", key, "--format", "table"])
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
        #expect(verify.stdout.contains("audit log intact: \(auditBefore + requests) entries"), "\(verify.stdout)")

        // An edited entry breaks the chain (the append-only trigger set aside, as an intruder would).
        try TestPostgres.psql(url, """
            ALTER TABLE audit DISABLE TRIGGER audit_append_only;
            UPDATE audit SET detail = detail || ' (edited)' WHERE id = \(auditBefore + 3)
            """)
        let tampered = try CreditCtl.run(["audit", "verify", "--db", url, "--audit-key", key, "--format", "table"])
        #expect(tampered.status == 1)
        #expect(tampered.stdout.contains("entry \(auditBefore + 3): its MAC does not match its content"), "\(tampered.stdout)")
    }

    /// A command whose use-cases have no PostgreSQL store yet refuses to start instead of
    /// answering from nothing.
    @Test func unportedCommandsRefusePostgres() throws {
        let url = try TestPostgres.database()
        // The demo builds SQLite registries (its PostgreSQL form is `db copy` of one).
        let samples = ["--samples", CreditCtl.packageRoot.appendingPathComponent("samples").path]
        let r = try CreditCtl.run(["demo", "--db", url] + samples)
        #expect(r.status == 64)
        #expect(r.stderr.contains("demo does not run on a PostgreSQL registry yet"), "\(r.stderr)")
    }

    static func auditCount(_ url: String) throws -> Int {
        Int(try TestPostgres.psql(url, "SELECT count(*) FROM audit").trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }
}
