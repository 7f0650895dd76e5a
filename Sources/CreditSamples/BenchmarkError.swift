/// A benchmark that cannot go on (its data could not be written or read back).
public struct BenchmarkError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
