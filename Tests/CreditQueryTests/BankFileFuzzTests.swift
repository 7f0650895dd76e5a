import CreditTestSupport
import Foundation
import Testing
@testable import CreditQuery
@testable import CreditRegistry

/// Mutated bank files through the real batch check: every run either gives one verdict per
/// record or is refused with a line and column (or as empty, or for want of a code column);
/// nothing crashes. Seeded and bounded.
@Suite struct BankFileFuzzTests {
    static let seed: UInt64 = 20_261_130

    struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }
    }

    static let pieces: [[UInt8]] = [[0x22], [0x2C], [0x0A], [0x0D], [0x0D, 0x0A], [0x09], [0xFF], [0x80], [0xE4, 0xB8], [0x00],
                                    [0xEF, 0xBB, 0xBF], [0xFF, 0xFE], Array("=1+1".utf8), Array("\"\"".utf8), Array("中".utf8)]

    @Test func item5_mutatedBankFilesGiveVerdictsOrARefusalWithAPosition() async throws {
        try await onOwnThread {
            let fixture = try QueryFixture()
            let checker = BatchChecker(registry: fixture.registry)
            let base = BatchCheckerTests.sample + "12,\"91350100M000100Y43\",\"福州某某科技有限公司\",\"multi\nline\"\n"
            let encodings: [[UInt8]] = [
                Array(base.utf8), [0xEF, 0xBB, 0xBF] + Array(base.utf8), try BatchCheckerTests.iconv(Array(base.utf8), to: "GB18030"),
                BankFileTests.utf16(base, bigEndian: false), BankFileTests.utf16(base, bigEndian: true),
            ]
            var rng = SplitMix(state: Self.seed)
            var checked = 0, refused = 0
            for n in 0..<600 {
                var bytes = encodings[n % encodings.count]
                for _ in 0..<(1 + rng.below(3)) where !bytes.isEmpty {
                    let at = rng.below(bytes.count)
                    switch rng.below(4) {
                    case 0: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
                    case 1: bytes.insert(contentsOf: Self.pieces[rng.below(Self.pieces.count)], at: at)
                    case 2: bytes.removeSubrange(at..<min(bytes.count, at + 1 + rng.below(8)))
                    default: bytes.removeSubrange(at...)
                    }
                }
                let format: BatchChecker.Format = n % 2 == 0 ? .csv : .json
                do {
                    let (out, summary) = try checker.run(input: bytes, options: .init(format: format, asOf: QueryFixture.d("2023-06-01")))
                    checked += 1
                    let lines = String(decoding: out, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                    if format == .json { #expect(lines.filter { !$0.isEmpty }.count == summary.rows, "case \(n)") }
                } catch let e as BatchError {
                    refused += 1
                    let m = e.message
                    #expect(m.range(of: #"^line [0-9]+, column [0-9]+: "#, options: .regularExpression) != nil
                            || m.contains("the file is empty") || m.contains("no rows") || m.contains("no code column")
                            || m.contains("no column named"), "case \(n): \(m)")
                }
            }
            #expect(checked > 100 && refused > 50, "\(checked) checked, \(refused) refused")
        }
    }
}
