import CreditTestSupport
import CreditRegistry
import Foundation
import Testing

/// Writers from separate processes queue for the database instead of failing, and the sequence
/// of a bureau's deltas is decided inside the write transaction.
@Suite final class ConcurrentWritersTests {
    let scratch: TemporaryDirectory
    var dir: URL { scratch.url }

    init() throws { scratch = try TemporaryDirectory("concurrent-writers") }

    /// Starts creditctl without waiting for it; `finish` waits and returns its status and output.
    final class Running {
        let process = Process()
        let out: URL, err: URL
        init(_ arguments: [String], in dir: URL, name: String, environment: [String: String] = [:]) throws {
            out = dir.appendingPathComponent("\(name).out"); err = dir.appendingPathComponent("\(name).err")
            FileManager.default.createFile(atPath: out.path, contents: nil)
            FileManager.default.createFile(atPath: err.path, contents: nil)
            process.executableURL = CreditCtlBinary.url
            process.arguments = arguments
            process.environment = ProcessInfo.processInfo.environment.merging(["CREDITCTL_TODAY": CreditCtlBinary.today].merging(environment) { _, new in new }) { _, new in new }
            process.standardOutput = try FileHandle(forWritingTo: out)
            process.standardError = try FileHandle(forWritingTo: err)
            try process.run()
        }
        func finish() throws -> (status: Int32, stdout: String, stderr: String) {
            process.waitUntilExit()
            return (process.terminationStatus, try String(contentsOf: out, encoding: .utf8), try String(contentsOf: err, encoding: .utf8))
        }
    }

    @Test(arguments: TestBackend.allCases) func ingestsOfDifferentBureausQueueForTheWriter(_ backend: TestBackend) async throws {
        try await onOwnThread {
            let gen = try CreditCtlBinary.run(["samples", "generate", "--subjects", "4000", "--seed", "5", "--out", dir.appendingPathComponent("feeds").path])
            #expect(gen.status == 0, "\(gen.stderr)")
            let run = try RegistryCLI(backend, in: scratch)
            let db = run.db, env = run.registry.environment
            let feed = { (name: String) in self.dir.appendingPathComponent("feeds/\(name)").path }
            #expect(try run(["ingest", feed("commerce-0001-full.xml")]).status == 0)
            let tax = try Running(["ingest", "--db", db, "--format", "json", feed("tax-0001-full.xml")], in: dir, name: "tax", environment: env)
            let food = try Running(["ingest", "--db", db, "--format", "json", feed("food-0001-full.xml")], in: dir, name: "food", environment: env)
            for run in [try tax.finish(), try food.finish()] {
                #expect(run.status == 0, "\(run.stderr)")
                #expect(!run.stderr.contains("locked"), "\(run.stderr)")
                #expect(run.stdout.contains("\"outcome\":\"ingested\""), "\(run.stdout)")
            }
            let list = try run(["feeds", "list", "--format", "csv"])
            #expect(list.stdout.split(separator: "\n").count == 4, "a header and three feeds: \(list.stdout)")
        }
    }

    @Test(arguments: TestBackend.allCases) func twoDeltasWithTheSameSequenceExactlyOneIsTaken(_ backend: TestBackend) throws {
        let samples = CreditCtlBinary.packageRoot.appendingPathComponent("samples/feeds")
        let delta = try String(contentsOf: samples.appendingPathComponent("commerce-0002-delta.xml"), encoding: .utf8)
        var deltas: [String] = []
        for name in ["A", "B"] {
            let path = dir.appendingPathComponent("delta-\(name).xml").path
            try delta.replacingOccurrences(of: "SAMR-350200-20250701-DELTA", with: "SAMR-350200-20250701-DELTA-\(name)")
                .write(toFile: path, atomically: true, encoding: .utf8)
            deltas.append(path)
        }
        for round in 1...3 {
            let run = try RegistryCLI(backend, in: scratch, name: "round-\(round)")
            #expect(try run(["ingest", samples.appendingPathComponent("commerce-0001-full.xml").path]).status == 0)
            let runs = try deltas.enumerated().map { i, path in
                try Running(["ingest", "--db", run.db, "--format", "json", path], in: dir, name: "r\(round)-\(i)", environment: run.registry.environment)
            }.map { try $0.finish() }
            let taken = runs.filter { $0.stdout.contains("\"outcome\":\"ingested\"") }
            let refused = runs.filter { $0.stdout.contains("\"outcome\":\"refused\"") }
            #expect(taken.count == 1 && refused.count == 1, "round \(round): \(runs.map(\.stdout))")
            #expect(refused.first?.stdout.contains("out of sequence") == true, "a clear reason: \(refused.map(\.stdout))")
            #expect(runs.allSatisfy { !$0.stderr.contains("locked") })
            let feeds = try run(["feeds", "list", "--format", "json"])
            let second = feeds.stdout.split(separator: "\n").filter { $0.contains("\"sequence\":2,") || $0.contains("\"sequence\":2}") }
            #expect(second.count == 1, "one feed of sequence 2: \(feeds.stdout)")
        }
    }
}
