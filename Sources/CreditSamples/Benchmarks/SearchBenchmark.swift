import CreditQuery
import CreditRegistry
import FeedIngest
import Foundation

/// Name search latency for 1-, 2-, 3- and 5-character substrings of generated names, for the
/// characters and pairs most names contain and for 有限公司, beside the exact full-name search
/// (one index probe) as the baseline (`creditctl subject bench search`).
public enum SearchBenchmark {
    public static func run(db: String, subjects: Int, samples: Int, limit: Int,
                           report print: (String) -> Void, log: @escaping @Sendable (String) -> Void) throws {
        let registry = try BenchData.open(path: db, subjects: subjects, log: log)
        let n = subjects
        let search = NameSearch(registry: registry)
        var rng = SystemRandomNumberGenerator()
        func substrings(_ length: Int) -> [String] {
            (0..<samples).map { _ in
                let name = Array(BenchData.name(Int.random(in: 0..<n, using: &rng), of: n))
                let start = Int.random(in: 0...(name.count - length), using: &rng)
                return String(name[start..<(start + length)])
            }
        }
        // Characters and pairs most names contain: the short queries whose hits are most numerous.
        let common = ["有", "限", "公", "司", "州", "有限", "公司", "科技", "股份"]
        let classes: [(String, [String])] = [
            ("full name (exact): baseline", (0..<samples).map { _ in BenchData.name(Int.random(in: 0..<n, using: &rng), of: n) }),
            ("1 character", substrings(1)), ("1 character, common", (0..<samples).map { common[$0 % 5] }),
            ("2 characters", substrings(2)), ("2 characters, common", (0..<samples).map { common[5 + $0 % 4] }),
            ("2 characters, page 5", substrings(2)),
            ("3 characters", substrings(3)), ("5 characters", substrings(5)), ("有限公司 (in most names)", Array(repeating: "有限公司", count: samples)),
        ]
        print("name search benchmark: \(n) subjects, limit \(limit), \(samples) queries per class, one read transaction per query")
        var baseline = 0.0, baselineCPU = 0.0
        for (label, queries) in classes {
            let offset = label.hasSuffix("page 5") ? 4 * limit : 0
            for q in queries.prefix(200) { _ = try search.search(q, limit: limit, offset: offset) }
            var hits = 0
            var cpu: [Double] = []
            cpu.reserveCapacity(queries.count)
            let times = try queries.map { q -> Double in
                let c = Self.threadCPU()
                let t = BenchData.now()
                hits += try search.search(q, limit: limit, offset: offset).count
                let wall = Double(BenchData.now() - t) / 1e6
                cpu.append((Self.threadCPU() - c) * 1e3)
                return wall
            }
            let p = BenchData.percentiles(times), pc = BenchData.percentiles(cpu)
            if baseline == 0 { baseline = p.p99; baselineCPU = pc.p99 }
            print(String(format: "  %-28@ p50 %6.2f ms  p99 %6.2f ms (%5.1f× the baseline's p99)  max %6.2f ms  (%.1f hits/query)  cpu p99 %5.2f ms (%4.1f×)",
                         label as NSString, p.p50, p.p99, p.p99 / baseline, times.max() ?? 0, Double(hits) / Double(queries.count),
                         pc.p99, pc.p99 / baselineCPU))
        }
    }

    /// CPU seconds of the calling thread: a query's own work, without the time it waited for a
    /// core (the figure that survives a machine shared with other work).
    static func threadCPU() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}
