import CreditTestSupport
import Foundation
import GRDB
import Testing
@testable import CreditQuery
@testable import CreditRegistry
@testable import CreditSamples

/// The batch check with two workers against the sequential path, byte for byte, on a generated
/// registry file and a generated bank file; and every worker judging on the same registry state.
@Suite struct BatchParallelTests {
    let scratch: TemporaryDirectory
    let registry: Registry
    static let subjects = 3_000
    let asOf = Day(ordinal: Day.today().ordinal)

    init() throws {
        scratch = try TemporaryDirectory("batch-parallel")
        registry = try BenchData.open(path: scratch.path("registry.db"), subjects: Self.subjects) { _ in }
    }

    /// A seeded bank file: registered codes with their name, name variants, former names, other
    /// subjects' names, unknown and invalid codes, registration numbers, blank and broken rows,
    /// spreadsheet formulas, quoted fields with commas.
    static func bankFile(rows: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        func next(_ m: Int) -> Int { state = BenchData.mix(state); return Int(state % UInt64(m)) }
        let n = subjects
        var out = "统一社会信用代码,企业名称,客户编号\n"
        for r in 0..<rows {
            let i = next(n)
            var code = BenchData.code(i, of: n)
            var name = BenchData.name(i, of: n)
            switch next(20) {
            case 0: name = name.replacingOccurrences(of: "有限", with: "有限 ")
            case 1: name = String(name.dropLast())
            case 2: name = BenchData.name((i + 1) % n, of: n)
            case 3: name = BenchData.name(i, of: n, variant: 99)
            case 4: code = BenchData.code(next(n), of: n * 3 + 8)
            case 5: code = String(code.dropLast()) + (code.hasSuffix("0") ? "1" : "0")
            case 6: code = BenchData.registrationNumber(i, of: n)
            case 7: code = ""
            case 8: out += "\"\(code)\"x,\(name),C\(r)\n"; continue
            case 9: out += "\(code),\"\(name),分部\",=C\(r)\n"; continue
            case 10: out += "\(code.lowercased())\n"; continue
            default: break
            }
            out += "\(code),\(name),C\(r)\n"
        }
        return Array(out.utf8)
    }

    func run(_ file: [UInt8], format: BatchChecker.Format, threads: Int, prefetch: Bool) throws -> ([UInt8], BatchChecker.Summary) {
        let options = BatchChecker.Options(format: format, asOf: asOf, threads: threads, batchRows: 37, prefetch: prefetch)
        return try BatchChecker(registry: registry).run(input: file, options: options)
    }

    @Test func twoWorkersWriteTheSequentialOutputByteForByte() async throws {
        try await onOwnThread {
            let file = Self.bankFile(rows: 6_000, seed: 20_261_130)
            for format in BatchChecker.Format.allCases {
                for prefetch in [false, true] {
                    let (sequential, s1) = try run(file, format: format, threads: 1, prefetch: prefetch)
                    let (parallel, s2) = try run(file, format: format, threads: 2, prefetch: prefetch)
                    #expect(s1.rows == 6_000 && s1.found > 3_000 && s1.errors > 0 && s1.flagged > 0)
                    #expect(s2.rows == s1.rows && s2.valid == s1.valid && s2.found == s1.found && s2.flagged == s1.flagged
                            && s2.errors == s1.errors, "\(format) prefetch \(prefetch)")
                    #expect(parallel == sequential, "\(format) prefetch \(prefetch): the outputs differ")
                }
            }
        }
    }

    /// One subject on every row while another connection keeps flipping its status: each run's
    /// verdicts carry one status, whichever worker wrote them (the workers share one snapshot).
    @Test func workersJudgeOnOneRegistryState() async throws {
        try await onOwnThread {
            let code = BenchData.code(17, of: Self.subjects)
            let file = Array(("code\n" + String(repeating: code + "\n", count: 2_000)).utf8)
            let writer = try DatabaseQueue(path: scratch.path("registry.db"))
            let stop = ManagedFlag()
            let flipping = Thread {
                var k = 0
                while !stop.isSet {
                    k += 1
                    try? writer.write { db in
                        try db.execute(sql: "UPDATE subject SET status = ? WHERE code = ?", arguments: [k % 2 == 0 ? "active" : "revoked", code])
                    }
                    usleep(300)   // pacing: a commit every fraction of a millisecond, without holding a core
                }
            }
            flipping.start()
            defer { stop.set() }
            for _ in 0..<8 {
                let (out, summary) = try run(file, format: .csv, threads: 2, prefetch: false)
                #expect(summary.rows == 2_000)
                let statuses = Set(String(decoding: out, as: UTF8.self).split(separator: "\n").dropFirst().map { line in
                    line.split(separator: ",", omittingEmptySubsequences: false)[8]
                })
                #expect(statuses.count == 1, "statuses in one run: \(statuses)")
            }
        }
    }
}

/// A flag set by one thread and read by another.
final class ManagedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
