/// A delimited file that cannot be read on: an invalid byte, an over-long record, a file that
/// is not text. Carries the line and column (in characters, both 1-based) where reading stopped.
public struct CSVReadError: Error, Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    /// Offset of the offending byte in the file, when a byte is to blame.
    public var byteOffset: Int?
    public var reason: String

    public init(line: Int, column: Int, byteOffset: Int? = nil, reason: String) {
        self.line = line; self.column = column; self.byteOffset = byteOffset; self.reason = reason
    }

    public var description: String { "line \(line), column \(column): \(reason)" }
}
