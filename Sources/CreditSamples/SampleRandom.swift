import CreditRegistry
import FeedIngest
/// SplitMix64: a small, fast, seedable generator, so that generated samples are reproducible.
struct SampleRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A generator for one (seed, subject, stream) triple: each file's decisions about a subject
    /// are independent of the others and of the order of generation.
    init(seed: UInt64, subject: Int, stream: UInt64) {
        var s = SampleRandom(seed: seed ^ (UInt64(truncatingIfNeeded: subject) &* 0x9E37_79B9_7F4A_7C15) ^ (stream &* 0xD1B5_4A32_D192_ED03))
        state = s.next()
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in 0..<n.
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }

    /// True with probability p.
    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }

    mutating func pick<T>(_ a: [T]) -> T { a[below(a.count)] }
}
