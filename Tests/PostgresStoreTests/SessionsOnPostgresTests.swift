import CreditTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import CreditRegistry
import GRDB
import PostgresStore
import Testing

/// The officers' page's sessions on a PostgreSQL registry: signed in on one `serve` process,
/// accepted by another of the same database (look-ups, the feedback form with its CSRF token),
/// signed out there and refused by both — and the same answers as one server on the SQLite
/// registry the database was copied from.
@Suite(.serialized)
struct SessionsOnPostgresTests {
    @Test func aSessionSignedInOnOneServerIsAcceptedAndEndedOnAnother() async throws {
        let scratch = try TemporaryDirectory("pg-sessions")
        let demo = try DemoOnPostgres(scratch)
        // A measure of alice's department in force on the servers' day, for the feedback form.
        let (subject, measure) = try await DatabaseQueue(path: demo.db).read { db -> (String, String) in
            let row = try #require(try Row.fetchOne(db, sql: """
                SELECT subject_code, measure FROM decision WHERE department = 'sat' AND valid_from <= '2026-11-30'
                AND (valid_until IS NULL OR valid_until > '2026-11-30') ORDER BY subject_code, measure LIMIT 1
                """))
            return (row[0], row[1])
        }
        let dir = URL(fileURLWithPath: scratch.path(""))
        let a = try await Server(["--db", demo.url, "--audit-key", demo.key], scratch: dir, name: "a")
        defer { a.stop() }
        let b = try await Server(["--db", demo.url, "--audit-key", demo.key], scratch: dir, name: "b")
        defer { b.stop() }
        let sqlite = try await Server(["--db", demo.db], scratch: dir, name: "sqlite")
        defer { sqlite.stop() }

        var transcripts: [[String]] = []
        var cookies: [String] = []
        for (signIn, use) in [(sqlite, sqlite), (a, b)] {
            var t: [String] = []
            let bad = try await signIn.call("POST", "/session", body: #"{"token": "not-a-token"}"#)
            t.append("bad token \(bad.status)")
            let s = try await signIn.call("POST", "/session", headers: ["Origin": signIn.origin], body: #"{"token": "\#(demo.token)"}"#)
            t.append("sign in \(s.status)")
            let cookie = try #require(s.setCookie?.split(separator: ";").first.map(String.init), "\(s.status) \(s.body)")
            let csrf = try #require(Self.json(s.body)["csrf_token"] as? String, "\(s.body)")
            cookies.append(cookie)
            let me = try await use.call("GET", "/session", headers: ["Cookie": cookie])
            t.append("session \(me.status) \(Self.json(me.body)["name"] ?? "") same csrf: \(Self.json(me.body)["csrf_token"] as? String == csrf)")
            let look = try await use.call("GET", "/v1/subjects/\(subject)/measures", headers: ["Cookie": cookie])
            t.append("look-up \(look.status) \(look.body)")
            let form = #"{"subject": "\#(subject)", "measure": "\#(measure)", "case_number": "税-2026-7", "date": "2026-11-30"}"#
            let noCSRF = try await use.call("POST", "/v1/feedback", headers: ["Cookie": cookie, "Origin": use.origin], body: form)
            t.append("feedback without CSRF \(noCSRF.status)")
            let feedback = try await use.call("POST", "/v1/feedback", headers: ["Cookie": cookie, "Origin": use.origin, "X-CSRF-Token": csrf], body: form)
            t.append("feedback \(feedback.status) \(Self.withoutIdAndTime(feedback.body))")
            let out = try await use.call("DELETE", "/session", headers: ["Cookie": cookie, "Origin": use.origin, "X-CSRF-Token": csrf])
            t.append("sign out \(out.status)")
            for server in [signIn, use] {
                let after = try await server.call("GET", "/v1/subjects/\(subject)/measures", headers: ["Cookie": cookie])
                t.append("after sign-out \(after.status)")
            }
            transcripts.append(t)
        }
        #expect(transcripts[0] == transcripts[1])
        #expect(transcripts[1].first { $0.hasPrefix("feedback 201") } != nil, "\(transcripts[1])")
        #expect(transcripts[1].suffix(2) == ["after sign-out 401", "after sign-out 401"], "\(transcripts[1])")
        #expect(transcripts[1].contains("session 200 alice same csrf: true"), "\(transcripts[1])")
        // The database keeps the cookie's digest, never the cookie; a signed-out session is gone.
        let value = String(cookies[1].split(separator: "=", maxSplits: 1)[1])
        #expect(try TestPostgres.psql(demo.url, "SELECT count(*) FROM officer_session WHERE id_digest = '\(value)'")
            .trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        #expect(try TestPostgres.psql(demo.url, "SELECT count(*) FROM officer_session")
            .trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        // The feedback the form recorded on B is in PostgreSQL, audited with the officer as actor.
        #expect(try TestPostgres.psql(demo.url, "SELECT officer FROM feedback WHERE case_number = '税-2026-7'")
            .trimmingCharacters(in: .whitespacesAndNewlines) == "api:alice")
    }

    /// A stored feedback's JSON without its id and time of recording (which differ between registries).
    static func withoutIdAndTime(_ body: String) -> String {
        body.replacing(/"(id|recorded_?[aA]t)":("[^"]*"|\d+)/, with: "")
    }

    static func json(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }
}

extension Server {
    /// This server's origin, as a browser on its page sends it.
    var origin: String { "http://127.0.0.1:\(port)" }

    struct Answer: Sendable { var status: Int; var body: String; var setCookie: String? }

    /// Sends a request with exactly the headers given (no cookie store: the test carries cookies itself).
    func call(_ method: String, _ path: String, headers: [String: String] = [:], body: String? = nil) async throws -> Answer {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        request.httpShouldHandleCookies = false
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await Self.client.data(for: request)
        let http = response as? HTTPURLResponse
        return Answer(status: http?.statusCode ?? 0, body: String(decoding: data, as: UTF8.self),
                      setCookie: http?.value(forHTTPHeaderField: "Set-Cookie"))
    }

    private static let client: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        return URLSession(configuration: configuration)
    }()
}

/// `PostgresSessions` alone: the expiry rules of the in-memory store (idle time, lifetime),
/// kept by the database's rows.
@Suite struct PostgresSessionsTests {
    @Test func sessionsExpireWhenIdleOrTooOldAndAreForgotten() throws {
        let url = try TestPostgres.database()
        let pool = PostgresSessionPool(location: try PostgresLocation(url: url))
        defer { pool.close() }
        try pool.with { session in _ = try PostgresMigrations.migrate(session) }
        let keeper = PostgresSessions(pool: pool)
        func stored(_ id: String, at t: Double) -> StoredSession {
            StoredSession(idDigest: id, accountName: "alice", role: "officer", department: "sat", tokenDigest: "t-\(id)",
                          csrfToken: "c-\(id)", createdAt: t, lastUsedAt: t)
        }
        let (idle, life) = (1_800.0, 28_800.0)
        try keeper.insert(stored("a", at: 1_000), now: 1_000, idleTimeout: idle, lifetime: life)
        try keeper.insert(stored("b", at: 1_000), now: 1_000, idleTimeout: idle, lifetime: life)
        // Used within the idle time: live, its last use moved on; so it outlives its first idle period.
        #expect(try keeper.touch(idDigest: "a", now: 2_500, idleTimeout: idle, lifetime: life)?.lastUsedAt == 2_500)
        #expect(try keeper.touch(idDigest: "a", now: 4_000, idleTimeout: idle, lifetime: life)?.csrfToken == "c-a")
        // Idle too long: gone, and gone for good.
        #expect(try keeper.touch(idDigest: "b", now: 2_801, idleTimeout: idle, lifetime: life) == nil)
        #expect(try TestPostgres.psql(url, "SELECT count(*) FROM officer_session WHERE id_digest = 'b'")
            .trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        // Used all along, but begun more than the lifetime ago: ended.
        var t = 4_000.0
        while t < 1_000 + life - 1_000 { t += 1_500; #expect(try keeper.touch(idDigest: "a", now: t, idleTimeout: idle, lifetime: life) != nil) }
        #expect(try keeper.touch(idDigest: "a", now: 1_000 + life, idleTimeout: idle, lifetime: life) == nil)
        // A sign-in forgets the expired sessions of everyone; a sign-out forgets its own.
        try keeper.insert(stored("c", at: 1_000), now: 1_000, idleTimeout: idle, lifetime: life)
        try keeper.insert(stored("d", at: 9_000), now: 9_000, idleTimeout: idle, lifetime: life)
        #expect(try TestPostgres.psql(url, "SELECT string_agg(id_digest, ',' ORDER BY id_digest) FROM officer_session")
            .trimmingCharacters(in: .whitespacesAndNewlines) == "d")
        try keeper.delete(idDigest: "d")
        #expect(try keeper.touch(idDigest: "d", now: 9_001, idleTimeout: idle, lifetime: life) == nil)
    }
}
