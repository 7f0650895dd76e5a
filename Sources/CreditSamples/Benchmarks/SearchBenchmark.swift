import CreditQuery
import CreditRegistry
import FeedIngest
import Foundation

/// Name search latency for 2-, 3- and 5-character substrings of generated names and for
/// 有限公司, which most names contain (`creditctl subject bench search`).
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
        let classes: [(String, [String])] = [
            ("3 characters", substrings(3)), ("5 characters", substrings(5)), ("有限公司 (in most names)", Array(repeating: "有限公司", count: samples)),
            ("2 characters", substrings(2)), ("full name (exact)", (0..<samples).map { _ in BenchData.name(Int.random(in: 0..<n, using: &rng), of: n) }),
        ]
        print("name search benchmark: \(n) subjects, limit \(limit), \(samples) queries per class, one read transaction per query")
        for (label, queries) in classes {
            for q in queries.prefix(200) { _ = try search.search(q, limit: limit) }
            var hits = 0
            let times = try queries.map { q -> Double in
                let t = BenchData.now()
                hits += try search.search(q, limit: limit).count
                return Double(BenchData.now() - t) / 1e6
            }
            let p = BenchData.percentiles(times)
            print(String(format: "  %-26@ p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms  (%.1f hits/query)",
                         label as NSString, p.p50, p.p99, times.max() ?? 0, Double(hits) / Double(queries.count)))
        }
    }
}
