import CreditRegistry
import CreditTestSupport
import Foundation
import GRDB
import Testing

/// Two `creditctl serve` processes on one PostgreSQL registry answer look-ups and name searches
/// while a third process ingests a feed into it: every answer is the registry's state before the
/// feed's commit or after it, the two servers agree before and after, no request fails, and every
/// answered request left its audit entry in one chain that verifies.
@Suite(.serialized)
struct ServersDuringIngestTests {
    @Test func twoServersAnswerAlikeWhileAFeedIsIngested() async throws {
        try await onOwnThread {
            let scratch = try TemporaryDirectory("pg-serve-ingest")
            let demo = try DemoOnPostgres(scratch)
            let (db, key, token, url) = (demo.db, demo.key, demo.token, demo.url)

            // A generated commerce snapshot of subjects the registry does not know, taken after the demo's feeds.
            let generated = scratch.path("generated")
            let gen = try CreditCtl.run(["samples", "generate", "--subjects", "300", "--seed", "11", "--out", generated, "--bank-rows", "0"])
            #expect(gen.status == 0, "\(gen.stderr)")
            let feedText = try String(contentsOfFile: generated + "/commerce-0001-full.xml", encoding: .utf8)
                .replacingOccurrences(of: "<sequence>1</sequence>", with: "<sequence>9</sequence>")
            let feed = scratch.path("commerce-0009-full.xml")
            try feedText.write(toFile: feed, atomically: true, encoding: .utf8)
            let newCodes = Self.values(of: "code", in: feedText).prefix(12)
            let newNames = Self.values(of: "name", in: feedText).filter { $0.hasSuffix("有限公司") }.prefix(6)

            let known = try await DatabaseQueue(path: db).read { db in try String.fetchAll(db, sql: "SELECT code FROM subject ORDER BY code LIMIT 20") }
            let paths = (known + newCodes).map { "/v1/subjects/\($0)/measures" }
                + (["科技", "有限公司"] + newNames.map { String($0.dropFirst(2).prefix(4)) }).map {
                    "/v1/search?q=" + $0.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!
                }

            let dir = URL(fileURLWithPath: scratch.path(""))
            let a = try await Server(["--db", url, "--audit-key", key], scratch: dir, name: "a")
            defer { a.stop() }
            let b = try await Server([], scratch: dir, name: "b", environment: ["CREDIT_DB": url, "CREDIT_AUDIT_KEY": key])
            defer { b.stop() }
            let auditBefore = try TwoServersTests.auditCount(url)
            var requests = 0
            var failures: [String] = []

            func askBoth(_ path: String) async throws -> (Server.Response, Server.Response) {
                async let x = a.get(path, token: token)
                async let y = b.get(path, token: token)
                let answers = try await (x, y)
                requests += 2
                for r in [answers.0, answers.1] where r.status >= 500 || r.status == 0 { failures.append("\(path): \(r.status) \(r.body)") }
                return answers
            }

            // Before: both servers give the same answer to every request.
            var before: [String: Server.Response] = [:]
            for path in paths {
                let (x, y) = try await askBoth(path)
                #expect(x.status == y.status && x.body == y.body, "before the feed, \(path): A \(x.body) vs B \(y.body)")
                before[path] = x
            }

            // During: a third process ingests the feed while both servers are asked, in a seeded random order.
            let ingest = LockedBox<ProcessOutput?>(nil)
            let finished = DispatchSemaphore(value: 0)
            Thread {
                ingest.value = try? CreditCtl.run(["ingest", "--db", url, "--audit-key", key, "--format", "json", feed])
                finished.signal()
            }.start()
            var random = SeededRandom(seed: 2026)
            var during: [(String, Server.Response)] = []
            repeat {
                for _ in 0..<8 {
                    let path = paths[Int(random.next() % UInt64(paths.count))]
                    let (x, y) = try await askBoth(path)
                    during.append((path, x)); during.append((path, y))
                }
            } while ingest.value == nil
            finished.wait()
            let outcome = try #require(ingest.value)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            #expect(RegistryRows.reports(outcome.stdout).first?["outcome"] == "ingested", "\(outcome.stdout)")

            // After: both servers agree again, and say what the database now holds.
            var after: [String: Server.Response] = [:]
            for path in paths {
                let (x, y) = try await askBoth(path)
                #expect(x.status == y.status && x.body == y.body, "after the feed, \(path): A \(x.body) vs B \(y.body)")
                after[path] = x
            }
            for code in newCodes {
                let path = "/v1/subjects/\(code)/measures"
                #expect(before[path]?.status == 404 && after[path]?.status == 200,
                        "\(code): unknown before the feed, found after it")
            }
            for (path, answer) in during {
                let matches = [before[path], after[path]].contains { $0?.status == answer.status && $0?.body == answer.body }
                #expect(matches, "during the feed, \(path) answered \(answer.status) \(answer.body): neither the state before nor after it")
            }
            #expect(failures.isEmpty, "\(failures)")
            a.stop(); b.stop()

            // Every answered request is one entry of one chain, and the chain verifies.
            #expect(try TwoServersTests.auditCount(url) - auditBefore == requests)
            let verify = try CreditCtl.run(["audit", "verify", "--db", url, "--audit-key", key, "--format", "table"])
            #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
            #expect(verify.stdout.contains("audit log intact: \(auditBefore + requests) entries"), "\(verify.stdout)")
        }
    }

    /// The texts of every `<name>…</name>` element of a feed, in order.
    static func values(of element: String, in xml: String) -> [String] {
        xml.components(separatedBy: "<\(element)>").dropFirst().compactMap { $0.components(separatedBy: "</\(element)>").first }
    }
}
