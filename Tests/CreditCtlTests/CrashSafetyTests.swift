import CreditTestSupport
import CreditRegistry
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Kills a child `creditctl ingest` with SIGKILL at several moments, re-runs it, and expects
/// a registry identical (same rows) to one built by a single clean run.
/// SQLite only: the crash safety of the SQLite file (its journal); PostgreSQL's transactions are the server's.
@Suite
final class CrashSafetyTests {
    let scratch: TemporaryDirectory
    var dir: URL { scratch.url }

    init() throws {
        scratch = try TemporaryDirectory("crash")
    }

    func ingest(_ db: String, _ feeds: [String]) throws -> CreditCtlBinary.Run {
        try CreditCtlBinary.run(["ingest", "--db", db, "--format", "json"] + feeds)
    }

    /// Runs an ingest that kills itself with SIGKILL at the crash point `point` (see
    /// `CrashPoint`); true when it died there, false when it finished first.
    func killedIngest(_ db: String, _ feeds: [String], at point: String) throws -> Bool {
        let run = try CreditCtlBinary.run(["ingest", "--db", db, "--format", "json"] + feeds, environment: ["CREDIT_CRASH_AT": point])
        return run.killedBySignal == SIGKILL
    }

    @Test func killedIngestResumesToTheSameRegistry() async throws {
        try await onOwnThread {
            let gen = try CreditCtlBinary.run(["samples", "generate", "--subjects", "8000", "--seed", "11", "--out", dir.appendingPathComponent("feeds").path])
            #expect(gen.status == 0, "\(gen.stderr)")
            let feeds = ["commerce-0001-full.xml", "tax-0001-full.xml"].map { dir.appendingPathComponent("feeds/\($0)").path }

            // What a clean run leaves after each whole feed: nothing, the first feed, both feeds.
            var prefixes: [[String]] = [[]]
            for n in 1...feeds.count {
                let db = dir.appendingPathComponent("clean-\(n).db").path
                let run = try ingest(db, Array(feeds.prefix(n)))
                #expect(run.status == 0, "\(run.stderr)")
                prefixes.append(try Registry(path: db).snapshot())
            }
            let expected = try #require(prefixes.last)
            #expect(expected.count > 5_000)

            // Inside the first feed's transaction, just before its commit, inside the second feed, before its commit.
            let points = ["feed.batch:1", "feed.batch:3", "feed.before-commit:1", "feed.batch:7", "feed.before-commit:2"]
            for (i, point) in points.enumerated() {
                let db = dir.appendingPathComponent("killed-\(i).db").path
                let delay = point
                #expect(try killedIngest(db, feeds, at: point), "the ingest did not reach \(point)")
                // Whatever the kill interrupted, the registry holds whole feeds: exactly what a clean run of a prefix leaves.
                let partial = FileManager.default.fileExists(atPath: db) ? try Registry(path: db).snapshot() : []
                let wholeFeeds = prefixes.contains(partial)
                #expect(wholeFeeds, "kill at \(delay) left a registry that no clean run of whole feeds gives (\(partial.count) rows)")
                let rerun = try ingest(db, feeds)
                #expect(rerun.status == 0, "\(rerun.stderr)")
                let same = try Registry(path: db).snapshot() == expected
                #expect(same, "kill at \(delay), then re-run: the registry differs from a clean run")
            }
        }
    }
}
