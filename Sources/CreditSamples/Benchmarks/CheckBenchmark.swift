import CreditQuery
import CreditRegistry
import FeedIngest
import Foundation
import GRDB
import GRDBSQLite

/// The batch check of a generated counterparty file, end to end, against the baseline of
/// reading the same file and one indexed look-up per row (`creditctl subject bench check`).
public enum CheckBenchmark {
    /// Runs `runs` rounds of baseline and check; `report` receives the result lines, `log` progress.
    public static func run(db: String, subjects: Int, rows: Int, threads: Int?, runs: Int,
                           report print: (String) -> Void, log: @escaping @Sendable (String) -> Void) throws {
        let registry = try BenchData.open(path: db, subjects: subjects, log: log)
        let n = subjects
        let input = db + ".check-\(rows).csv"
        if !FileManager.default.fileExists(atPath: input) { log("writing \(rows) rows to \(input)"); try Self.writeFile(input, rows: rows, subjects: n) }
        let output = db + ".verdicts.csv"
        let size = ((try? FileManager.default.attributesOfItem(atPath: input)[.size]) as? Int ?? 0)
        print("batch check benchmark: \(rows) rows (\(size / 1_048_576) MiB) against \(n) subjects, \(threads ?? BatchChecker.automaticWorkers) look-up threads\(threads == nil ? " (automatic)" : "")")

        // Wall time is what counts; CPU time (user + system, all threads) is printed beside it
        // because it survives a machine shared with other work better.
        var best = (base: Double.infinity, check: Double.infinity, baseCPU: Double.infinity, checkCPU: Double.infinity, longest: Double.infinity)
        for r in 0..<runs {
            let c0 = Self.cpuSeconds()
            let (t, found) = try Self.baseline(registry: registry, path: input)
            let baseCPU = Self.cpuSeconds() - c0
            best.base = min(best.base, t); best.baseCPU = min(best.baseCPU, baseCPU)
            let fdIn = open(input, O_RDONLY), fdOut = open(output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            let c1 = Self.cpuSeconds()
            let t0 = BenchData.now()
            let s = try BatchChecker(registry: registry).run(input: fdIn, output: fdOut, options: .init(format: .csv, threads: threads))
            let tc = Double(BenchData.now() - t0) / 1e9
            let checkCPU = Self.cpuSeconds() - c1
            close(fdIn); close(fdOut)
            best.check = min(best.check, tc); best.checkCPU = min(best.checkCPU, checkCPU)
            let longest = s.threadSeconds.max() ?? checkCPU
            best.longest = min(best.longest, longest)
            print(String(format: "  run %d: baseline %.2f s (cpu %.2f s, %d found), check %.2f s (cpu %.2f s; rows %d, valid %d, found %d, flagged %d)",
                         r + 1, t, baseCPU, found, tc, checkCPU, s.rows, s.valid, s.found, s.flagged))
            print("         check's threads, cpu: " + s.threadSeconds.enumerated().map { i, c in
                String(format: "%@ %.2f s", i == 0 ? "reading" : "worker \(i)", c)
            }.joined(separator: ", ") + String(format: "; the longest ÷ the baseline's cpu %.2f×", longest / baseCPU))
        }
        print(String(format: "  best: baseline %.2f s (%.0f rows/s), check %.2f s (%.0f rows/s), ratio %.2f×; cpu: baseline %.2f s, check %.2f s, ratio %.2f×; longest thread of the check %.2f s cpu, %.2f× the baseline's cpu",
                     best.base, Double(rows) / best.base, best.check, Double(rows) / best.check, best.check / best.base,
                     best.baseCPU, best.checkCPU, best.checkCPU / best.baseCPU, best.longest, best.longest / best.baseCPU))
    }

    /// User and system CPU seconds of the process so far (every thread).
    static func cpuSeconds() -> Double {
        var u = rusage()
        getrusage(RUSAGE_SELF.rawValue, &u)
        return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
    }

    /// Reading the file and one indexed look-up per row, single thread, raw SQLite statement.
    static func baseline(registry: Registry, path: String) throws -> (Double, Int) {
        try registry.read { db in
            let stmt = try db.makeStatement(sql: "SELECT name, status FROM subject WHERE code = ?")
            let s = stmt.sqliteStatement
            let fd = open(path, O_RDONLY)
            defer { close(fd) }
            let t0 = BenchData.now()
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            var carry: [UInt8] = []
            var found = 0, first = true
            func line(_ l: UnsafeBufferPointer<UInt8>) {
                if first { first = false; return }
                let end = l.firstIndex(of: 0x2C) ?? l.count
                sqlite3_bind_text(s, 1, UnsafeRawPointer(l.baseAddress)?.assumingMemoryBound(to: CChar.self), Int32(end), nil)
                if sqlite3_step(s) == SQLITE_ROW { found += 1; _ = sqlite3_column_text(s, 0) }
                sqlite3_reset(s)
            }
            while true {
                let got = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if got <= 0 { break }
                carry.append(contentsOf: buffer[0..<got])
                let consumed = carry.withUnsafeBufferPointer { p -> Int in
                    var start = 0
                    while let nl = p[start...].firstIndex(of: 0x0A) {
                        line(UnsafeBufferPointer(rebasing: p[start..<nl]))
                        start = nl + 1
                    }
                    return start
                }
                carry.removeFirst(consumed)
            }
            if !carry.isEmpty { carry.withUnsafeBufferPointer { line($0) } }
            return (Double(BenchData.now() - t0) / 1e9, found)
        }
    }

    /// A bank file: 90% registered with the registered name, the rest variants, unknown and
    /// invalid codes.
    static func writeFile(_ path: String, rows: Int, subjects n: Int) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        guard let h = FileHandle(forWritingAtPath: path) else { throw BenchmarkError(message: "cannot write \(path)") }
        defer { try? h.close() }
        var out = "统一社会信用代码,企业名称,客户编号\n"
        var rng = SystemRandomNumberGenerator()
        for r in 0..<rows {
            let i = Int.random(in: 0..<n, using: &rng)
            var code = BenchData.code(i, of: n)
            var name = BenchData.name(i, of: n)
            switch r % 100 {
            case 90..<93: name = name.replacingOccurrences(of: "有限", with: "有限 ")
            case 93..<95: name = String(name.dropLast())
            case 95..<97: name = BenchData.name(i + 1, of: n)
            case 97..<99: code = BenchData.code(Int.random(in: 0..<n, using: &rng), of: n * 3 + 8)
            case 99: code = String(code.dropLast()) + (code.hasSuffix("0") ? "1" : "0")
            default: break
            }
            out += "\(code),\(name),C\(r)\n"
            if out.utf8.count > 1 << 20 { try h.write(contentsOf: Data(out.utf8)); out = "" }
        }
        try h.write(contentsOf: Data(out.utf8))
    }
}
