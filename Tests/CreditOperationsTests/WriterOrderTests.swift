import CreditTestSupport
import CreditRegistry
import FeedIngest
import Foundation
import GRDB
import Testing

/// Two writers in one process, each with its own connection pool (as two processes would
/// have): the sequence check is decided inside the write transaction.
@Suite final class WriterOrderTests {
    static let samples = Support.rulesDir.deletingLastPathComponent().appendingPathComponent("samples")
    let scratch: TemporaryDirectory
    var dir: URL { scratch.url }

    init() throws { scratch = try TemporaryDirectory("writer-order") }

    @Test func concurrentDeltasWithOneSequenceTakeExactlyOne() throws {
        let delta = try String(contentsOf: Self.samples.appendingPathComponent("feeds/commerce-0002-delta.xml"), encoding: .utf8)
        let paths = try ["A", "B"].map { name in
            let path = dir.appendingPathComponent("delta-\(name).xml").path
            try delta.replacingOccurrences(of: "SAMR-350200-20250701-DELTA", with: "DELTA-\(name)").write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        for round in 1...6 {
            let path = dir.appendingPathComponent("round-\(round).db").path
            _ = try FeedIngestor(registry: try Registry(path: path)).ingest(path: Self.samples.appendingPathComponent("feeds/commerce-0001-full.xml").path)
            let ingestors = try paths.map { _ in FeedIngestor(registry: try Registry(path: path)) }
            let outcomes = LockedBox<[IngestReport.Outcome]>([])
            let reasons = LockedBox<[String]>([])
            let start = DispatchSemaphore(value: 0), done = DispatchGroup()
            for (ingestor, feed) in zip(ingestors, paths) {
                done.enter()
                Thread {
                    start.wait()
                    if let r = try? ingestor.ingest(path: feed) {
                        outcomes.withValue { $0.append(r.outcome) }
                        if let reason = r.reason { reasons.withValue { $0.append(reason) } }
                    }
                    done.leave()
                }.start()
            }
            start.signal(); start.signal()
            done.wait()
            #expect(outcomes.value.sorted { $0.rawValue < $1.rawValue } == [.ingested, .refused], "round \(round): \(outcomes.value) \(reasons.value)")
            #expect(reasons.value.allSatisfy { $0.contains("out of sequence") }, "\(reasons.value)")
        }
    }
}
