/// Exponential back-off between delivery attempts: `base`, 2·`base`, 4·`base`, … capped at `cap`.
public struct Backoff: Sendable {
    public var base: Double
    public var cap: Double
    public init(base: Double = 0.5, cap: Double = 60) { self.base = base; self.cap = cap }

    /// The delay after `failures` consecutive failures (1 → base).
    public func delay(afterFailures failures: Int) -> Double {
        min(cap, base * Double(1 << min(max(failures - 1, 0), 30)))
    }
}
