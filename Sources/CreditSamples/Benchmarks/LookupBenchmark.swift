import CreditQuery
import CreditRegistry
import FeedIngest
import Decisions
import Foundation
import GRDB

/// One subject look-up with its measures, in process, against a primary-key look-up in the
/// same run (`creditctl subject bench lookup`).
public enum LookupBenchmark {
    /// Times `samples` look-ups of random codes of the registry at `db` (generated when missing).
    public static func run(db: String, subjects: Int, samples: Int, asOf: Day,
                           report print: (String) -> Void, log: @escaping @Sendable (String) -> Void) throws {
        let registry = try BenchData.open(path: db, subjects: subjects, log: log)
        let n = subjects
        var rng = SystemRandomNumberGenerator()
        // One in three sampled subjects has decisions, so the measures path is exercised.
        let picks = (0..<samples).map { k -> Int in
            let i = Int.random(in: 0..<n, using: &rng)
            return k % 3 == 0 ? min(n - 1, i - i % 33 + 7) : i
        }
        let codes = picks.map { BenchData.code($0, of: n) }
        let provider = TableDecisionProvider()
        let builder = ReportBuilder(registry: registry)

        let results = try registry.read { db -> [(String, [Double])] in
            func time(_ body: (Int) throws -> Void) rethrows -> [Double] {
                for k in 0..<samples { try body(k) }                      // warm the same pages
                return try (0..<samples).map { k in
                    let t = BenchData.now(); try body(k); return Double(BenchData.now() - t) / 1000
                }
            }
            let pk = try db.cachedStatement(sql: "SELECT * FROM subject WHERE id = ?")
            var measuresSeen = 0
            let base = try time { k in _ = try Row.fetchOne(pk, arguments: [picks[k] + 1]) }
            let look = try time { k in
                guard let s = try registry.lookup(codes[k], in: db) else { throw BenchmarkError(message: "missing \(codes[k])") }
                measuresSeen += try provider.decisions(for: s.code, asOf: asOf, in: db).count
            }
            let report = try time { k in _ = try builder.build(for: codes[k], options: .init(asOf: asOf), in: db) }
            log("measures found in the sample: \(measuresSeen / 2)")
            return [("primary-key look-up (baseline)", base), ("look-up by code + measures in force", look),
                    ("full report build (no audit)", report)]
        }
        var perRead: [Double] = []
        for k in 0..<samples {
            let t = BenchData.now()
            _ = try registry.read { db in
                try registry.lookup(codes[k], in: db).map { try provider.decisions(for: $0.code, asOf: asOf, in: db) }
            }
            perRead.append(Double(BenchData.now() - t) / 1000)
        }
        var audited: [Double] = []
        let auditLog = try AuditLog.open(beside: registry)
        for k in 0..<min(2000, samples) {
            let t = BenchData.now()
            _ = try builder.report(for: codes[k], options: .init(asOf: asOf, actor: "bench"), audit: auditLog)
            audited.append(Double(BenchData.now() - t) / 1000)
        }
        let base = BenchData.percentiles(results[0].1)
        print("look-up benchmark: \(n) subjects, \(samples) random codes (1/3 with measures), release build")
        for (label, s) in results + [("look-up + measures, own read transaction", perRead), ("report with audit entry (write)", audited)] {
            let p = BenchData.percentiles(s)
            print(String(format: "  %-44@ p50 %7.1f µs  p99 %7.1f µs  (p99 %.1f× baseline)", label as NSString, p.p50, p.p99, p.p99 / base.p99))
        }
    }
}
