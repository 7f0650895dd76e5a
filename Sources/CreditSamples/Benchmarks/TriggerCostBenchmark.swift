import CreditRegistry
import FeedIngest
import Foundation
import GRDB

/// The insert cost of names with and without the search-index triggers (name_index + trigram FTS).
public enum TriggerCostBenchmark {
    /// Inserts `n` names with and without the name-index triggers; returns the result line.
    public static func measure(names n: Int = 200_000) throws -> String {
        func once(triggers: Bool) throws -> Double {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("trigger-cost-\(UUID().uuidString).db").path
            defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
            let registry = try Registry(path: path)
            if !triggers { try registry.write { db in try NameIndex.suspendIndexing(in: db) } }
            let t = BenchData.now()
            try registry.write { db in
                for i in 0..<n { try registry.addName(BenchData.name(i, of: n), of: BenchData.code(i, of: n), from: nil, in: db) }
            }
            return Double(BenchData.now() - t) / 1e9
        }
        let without = try once(triggers: false)
        let with = try once(triggers: true)
        return String(format: "name insert (Registry.addName, %d names, one transaction): without index triggers %.0f/s (%.1f µs), with triggers %.0f/s (%.1f µs): %.2f×\n",
                            n, Double(n) / without, without / Double(n) * 1e6, Double(n) / with, with / Double(n) * 1e6, with / without)
    }
}
