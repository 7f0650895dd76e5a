import Foundation
import Testing
@testable import CreditRegistry

/// Audit times are formatted by hand; they must read exactly as `ISO8601DateFormatter` wrote
/// them before (entries of both kinds sit in one chain).
@Suite struct AuditTimestampTests {
    @Test func readsAsTheFoundationFormatterWrites() {
        let formatter = ISO8601DateFormatter()
        let fixed: [TimeInterval] = [0, 59, 86_399, 86_400, 951_782_400 /* 2000-02-29 */, 951_868_799.999, 1_767_225_599 /* 2025-12-31 23:59:59 */,
                                     1_796_066_435.5, 4_102_444_800 /* 2100-01-01 */]
        var seeded = SeededRandom(seed: 20261130)
        let sampled = (0..<2000).map { _ in TimeInterval(UInt64.random(in: 0...4_102_444_800, using: &seeded)) + 0.25 }
        for t in fixed + sampled {
            let date = Date(timeIntervalSince1970: t)
            #expect(AuditTimestamp.string(date) == formatter.string(from: date), "\(t)")
        }
    }
}
