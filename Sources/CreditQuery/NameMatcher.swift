import CreditRegistry
import Decisions
/// Compares the name a bank gives with the registered name.
///
/// ```swift
/// NameMatcher.compare("福州某某科技(有限)公司", "福州某某科技（有限）公司").match   // .normalised
/// ```
public enum NameMatcher {
    /// How well two names agree, best first.
    public enum Match: String, Sendable, Hashable, Codable {
        /// Identical text.
        case exact
        /// Equal after normalising brackets, full-width forms, spaces and letter case.
        case normalised
        /// Equal (after normalising) to one of the subject's former names.
        case former
        /// Character-bigram Dice coefficient of the normalised names ≥ ``similarThreshold``.
        case similar
        case different
        /// No name was given.
        case absent

        /// Whether a former name of the subject may still match (``former``) a name that matched this well.
        public var looksForFormerNames: Bool { self == .similar || self == .different }
    }

    public static let similarThreshold = 0.6

    /// The match class and the Dice score (1 for exact and normalised matches).
    public static func compare(_ given: String, _ registered: String) -> (match: Match, score: Double) {
        if given == registered { return (.exact, 1) }
        let a = normalise(given), b = normalise(registered)
        if a.isEmpty { return (.absent, 0) }
        if a == b { return (.normalised, 1) }
        let s = dice(a, b)
        return (s >= similarThreshold ? .similar : .different, s)
    }

    /// Whether a verdict compares `given` with the subject's former names too: a name was given
    /// and it neither equals nor normalises to the registered one.
    public static func needsFormerNames(given: String?, registered: String) -> Bool {
        guard let given, !given.isEmpty else { return false }
        return compare(given, registered).match.looksForFormerNames
    }

    /// Full-width ASCII to half-width (so （）→ ()), 【】〔〕 to [], every kind of space removed,
    /// ASCII letters lower-cased; returned as Unicode scalar values.
    public static func normalise(_ s: String) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(s.unicodeScalars.count)
        for sc in s.unicodeScalars {
            var v = sc.value
            if v >= 0xFF01 && v <= 0xFF5E { v -= 0xFEE0 }
            switch v {
            case 0x3010, 0x3014: v = 0x5B
            case 0x3011, 0x3015: v = 0x5D
            default: break
            }
            if v == 0x20 || v == 0x3000 || v == 0x09 || v == 0xA0 || v == 0x200B || v == 0xFEFF { continue }
            if v >= 0x41 && v <= 0x5A { v += 0x20 }
            out.append(v)
        }
        return out
    }

    /// Sørensen–Dice coefficient over character bigrams (single characters for 1-character names).
    public static func dice(_ a: [UInt32], _ b: [UInt32]) -> Double {
        if a.isEmpty || b.isEmpty { return 0 }
        func grams(_ x: [UInt32]) -> [UInt64] {
            if x.count == 1 { return [UInt64(x[0])] }
            return (0..<(x.count - 1)).map { UInt64(x[$0]) << 32 | UInt64(x[$0 + 1]) }.sorted()
        }
        let ga = grams(a), gb = grams(b)
        var i = 0, j = 0, common = 0
        while i < ga.count && j < gb.count {
            if ga[i] == gb[j] { common += 1; i += 1; j += 1 } else if ga[i] < gb[j] { i += 1 } else { j += 1 }
        }
        return 2 * Double(common) / Double(ga.count + gb.count)
    }
}
