/// One record of a delimited file: its fields and the line it starts on (a quoted field may hold
/// line breaks, so the next record can start several lines further).
public struct CSVRecord: Sendable, Hashable {
    /// 1-based line of the file where the record starts.
    public var line: Int
    public var fields: [String]

    public init(line: Int, fields: [String]) { self.line = line; self.fields = fields }
}
