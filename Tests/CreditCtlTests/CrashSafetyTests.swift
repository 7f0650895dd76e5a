import CreditRegistry
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Kills a child `creditctl ingest` with SIGKILL at several moments, re-runs it, and expects
/// a registry identical (same rows) to one built by a single clean run.
@Suite(.enabled(if: CreditCtlBinary.exists, "creditctl is not built at .build/debug/creditctl: run `swift build --build-tests` first"))
struct CrashSafetyTests {
    let dir: URL

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    func ingest(_ db: String, _ feeds: [String]) throws -> CreditCtlBinary.Run {
        try CreditCtlBinary.run(["ingest", "--db", db, "--format", "json"] + feeds)
    }

    /// Starts an ingest and kills it after `delay` seconds (it may have finished by then).
    func killedIngest(_ db: String, _ feeds: [String], after delay: Double) throws -> Bool {
        let p = Process()
        p.executableURL = CreditCtlBinary.url
        p.arguments = ["ingest", "--db", db, "--format", "json"] + feeds
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        Thread.sleep(forTimeInterval: delay)
        let wasRunning = p.isRunning
        if wasRunning { kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
        return wasRunning
    }

    @Test func killedIngestResumesToTheSameRegistry() throws {
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

        var killedMidway = 0
        for (i, delay) in [0.15, 0.5, 1.0, 1.8, 2.4].enumerated() {
            let db = dir.appendingPathComponent("killed-\(i).db").path
            if try killedIngest(db, feeds, after: delay) { killedMidway += 1 }
            // Whatever the kill interrupted, the registry holds whole feeds: exactly what a clean run of a prefix leaves.
            let partial = FileManager.default.fileExists(atPath: db) ? try Registry(path: db).snapshot() : []
            let wholeFeeds = prefixes.contains(partial)
            #expect(wholeFeeds, "kill after \(delay) s left a registry that no clean run of whole feeds gives (\(partial.count) rows)")
            let rerun = try ingest(db, feeds)
            #expect(rerun.status == 0, "\(rerun.stderr)")
            let same = try Registry(path: db).snapshot() == expected
            #expect(same, "kill after \(delay) s, then re-run: the registry differs from a clean run")
        }
        #expect(killedMidway >= 2, "the ingest finished before most kills; the test did not exercise a crash")
    }
}
