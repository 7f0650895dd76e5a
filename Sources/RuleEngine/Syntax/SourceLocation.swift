/// A point in a rule file: 1-based line and column (columns count characters), and the
/// UTF-8 byte offset from the start of the file.
public struct SourcePosition: Hashable, Sendable, Codable, Comparable {
    public var line: Int
    public var column: Int
    public var offset: Int

    public init(line: Int, column: Int, offset: Int) {
        self.line = line; self.column = column; self.offset = offset
    }

    public static func < (a: SourcePosition, b: SourcePosition) -> Bool { a.offset < b.offset }
}

/// The span of source text a token, node or diagnostic refers to (end exclusive).
///
/// ```swift
/// range.description   // "rules/tax.rules:12:7"
/// ```
public struct SourceRange: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public var file: String
    public var start: SourcePosition
    public var end: SourcePosition

    public init(file: String, start: SourcePosition, end: SourcePosition) {
        self.file = file; self.start = start; self.end = end
    }

    /// `file:line:column` of the start.
    public var description: String { "\(file):\(start.line):\(start.column)" }

    /// The smallest range covering both.
    public func union(_ other: SourceRange) -> SourceRange {
        SourceRange(file: file, start: min(start, other.start), end: max(end, other.end))
    }

    public static func < (a: SourceRange, b: SourceRange) -> Bool {
        if a.file != b.file { return a.file < b.file }
        if a.start.line != b.start.line { return a.start.line < b.start.line }
        if a.start.column != b.start.column { return a.start.column < b.start.column }
        return a.end.offset < b.end.offset
    }

    /// A zero-width range at the start of a file, for diagnostics about a whole file.
    public static func fileStart(_ file: String) -> SourceRange {
        let p = SourcePosition(line: 1, column: 1, offset: 0)
        return SourceRange(file: file, start: p, end: p)
    }
}

/// A rule file's path and text, kept so diagnostics can quote the offending line.
public struct SourceFile: Sendable, Hashable {
    public var path: String
    public var text: String
    public init(path: String, text: String) { self.path = path; self.text = text }

    /// The text of 1-based line `n` without its line break ("" when out of range).
    public func line(_ n: Int) -> String {
        let bytes = Array(text.utf8)
        var current = 1
        var lineStart = 0
        var i = 0
        while i <= bytes.count {
            if i == bytes.count || bytes[i] == 10 {
                if current == n {
                    var end = i
                    if end > lineStart && bytes[end - 1] == 13 { end -= 1 }
                    return String(decoding: bytes[lineStart..<end], as: UTF8.self)
                }
                current += 1
                lineStart = i + 1
            }
            i += 1
        }
        return ""
    }
}
