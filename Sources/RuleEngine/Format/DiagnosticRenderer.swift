/// Prints diagnostics the way compilers do: location, severity and code, message, the source
/// line, a caret and underline under the offending text, and the hint.
///
/// ```text
/// rules/x.rules:12:22: error[check.unknownList]: unknown list 'foo'
///    12 |   punish when listed foo
///       |                      ^~~
/// hint: did you mean 'food_drug_serious_dishonest'?
/// ```
public enum DiagnosticRenderer {
    public static func render(_ diagnostics: [Diagnostic], sources: [SourceFile]) -> String {
        let byPath = Dictionary(sources.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        return diagnostics.map { render($0, source: byPath[$0.range.file]) }.joined()
    }

    public static func render(_ d: Diagnostic, source: SourceFile?) -> String {
        var out = d.description + "\n"
        if let src = source, d.range.start.line >= 1 {
            let text = src.line(d.range.start.line)
            if !text.isEmpty || d.range.start.column == 1 {
                let num = String(d.range.start.line)
                let gutter = String(repeating: " ", count: max(0, 5 - num.count)) + num
                out += "\(gutter) | \(text)\n"
                let chars = Array(text)
                let startCol = max(1, d.range.start.column)
                var pad = ""
                for ch in chars.prefix(startCol - 1) { pad += ch == "\t" ? "\t" : String(repeating: " ", count: width(ch)) }
                let endCol = d.range.end.line == d.range.start.line ? max(startCol + 1, d.range.end.column) : chars.count + 1
                let span = chars.dropFirst(startCol - 1).prefix(max(1, endCol - startCol))
                let w = max(1, span.reduce(0) { $0 + width($1) })
                out += String(repeating: " ", count: 5) + " | " + pad + "^" + String(repeating: "~", count: w - 1) + "\n"
            }
        }
        if let h = d.hint { out += "hint: \(h)\n" }
        return out
    }

    /// Terminal columns a character takes (2 for CJK and full-width forms).
    static func width(_ ch: Character) -> Int {
        guard let v = ch.unicodeScalars.first?.value else { return 1 }
        switch v {
        case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }
}
