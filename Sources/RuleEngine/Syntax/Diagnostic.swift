/// One problem found in rule files, by the parser, the checker or the test runner.
///
/// `code` is stable (scripts and tests match on it): `parse.*` for syntax, `check.*` for
/// meaning, `test.*` for in-file tests. Render it with ``DiagnosticRenderer``:
///
/// ```text
/// rules/x.rules:12:7: error[check.unknownList]: unknown list 'foo'
///    12 |   punish when listed foo
///       |                      ^~~
/// hint: did you mean 'food_drug_serious_dishonest'?
/// ```
public struct Diagnostic: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// How bad a diagnostic is. Only errors make `rules check` fail.
    public enum Severity: String, Sendable, Hashable, Codable, Comparable {
        case error, warning, note
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
        var rank: Int { switch self { case .error: 0; case .warning: 1; case .note: 2 } }
    }

    public var code: String
    public var severity: Severity
    public var range: SourceRange
    public var message: String
    public var hint: String?

    public init(_ code: String, _ severity: Severity = .error, at range: SourceRange, _ message: String, hint: String? = nil) {
        self.code = code; self.severity = severity; self.range = range; self.message = message; self.hint = hint
    }

    /// `file:line:column: severity[code]: message` (no source excerpt).
    public var description: String { "\(range): \(severity.rawValue)[\(code)]: \(message)" }

    /// Sorts by file, line, column, then code, so output never depends on discovery order.
    public static func sorted(_ list: [Diagnostic]) -> [Diagnostic] {
        list.sorted { a, b in
            if a.range != b.range { return a.range < b.range }
            if a.code != b.code { return a.code < b.code }
            return a.message < b.message
        }
    }
}

extension Array where Element == Diagnostic {
    /// True when at least one diagnostic is an error.
    public var hasErrors: Bool { contains { $0.severity == .error } }
}
