/// Prints diagnostics the way compilers do: location, severity and code, message, the source
/// line, a caret and underline under the offending text, and the hint.
///
/// ```text
/// rules/x.rules:12:22: error[check.unknownList]: unknown list 'foo'
///    12 |   punish when listed foo
///       |                      ^~~
/// hint: did you mean 'food_drug_serious_dishonest'?
/// ```
///
/// Output stays bounded whatever the input: a long line is shown as a window of
/// ``window`` characters around the column (with `…` where it is cut), and at most
/// ``perFile`` diagnostics are printed for one file, followed by `… and N more in FILE`.
public enum DiagnosticRenderer {
    /// Characters of a source line shown around the column.
    public static let window = 100
    /// Diagnostics printed per file before the rest are counted.
    public static let perFile = 50

    public static func render(_ diagnostics: [Diagnostic], sources: [SourceFile], perFile limit: Int = perFile) -> String {
        let byPath = Dictionary(sources.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        var lines: [String: [Substring]] = [:]
        var printed: [String: Int] = [:]
        var suppressed: [(file: String, count: Int)] = []
        var out = ""
        for d in diagnostics {
            let file = d.range.file
            let n = printed[file, default: 0]
            printed[file] = n + 1
            if n >= limit {
                if let last = suppressed.last, last.file == file { suppressed[suppressed.count - 1].count += 1 }
                else { suppressed.append((file, 1)) }
                continue
            }
            var text: Substring?
            if let src = byPath[file] {
                if lines[file] == nil { lines[file] = src.text.split(separator: "\n", omittingEmptySubsequences: false) }
                let all = lines[file]!
                let k = d.range.start.line - 1
                if k >= 0 && k < all.count { text = all[k].hasSuffix("\r") ? all[k].dropLast() : all[k] }
            }
            out += render(d, line: text)
        }
        var counted: Set<String> = []
        for s in suppressed where !counted.contains(s.file) {
            counted.insert(s.file)
            let total = suppressed.filter { $0.file == s.file }.reduce(0) { $0 + $1.count }
            out += "… and \(total) more in \(s.file)\n"
        }
        return out
    }

    public static func render(_ d: Diagnostic, source: SourceFile?) -> String {
        render(d, line: source.flatMap { d.range.start.line >= 1 ? Substring($0.line(d.range.start.line)) : nil })
    }

    static func render(_ d: Diagnostic, line text: Substring?) -> String {
        var out = d.description + "\n"
        if let text, d.range.start.line >= 1, !text.isEmpty || d.range.start.column == 1 {
            let num = String(d.range.start.line)
            let gutter = String(repeating: " ", count: max(0, 5 - num.count)) + num
            let chars = Array(text)
            let startCol = max(1, min(d.range.start.column, chars.count + 1))
            let endCol = d.range.end.line == d.range.start.line ? max(startCol + 1, d.range.end.column) : chars.count + 1
            // The window of characters shown: all of a short line, else `window` around the column.
            var lo = 0, hi = chars.count
            if chars.count > window {
                lo = max(0, min(startCol - 1 - window / 3, chars.count - window))
                hi = min(chars.count, lo + window)
            }
            let head = lo > 0 ? "…" : "", tail = hi < chars.count ? "…" : ""
            out += "\(gutter) | \(head)\(String(chars[lo..<hi]))\(tail)\n"
            var pad = head.isEmpty ? "" : " "
            for ch in chars[lo..<(startCol - 1)] { pad += ch == "\t" ? "\t" : String(repeating: " ", count: width(ch)) }
            let span = chars.dropFirst(startCol - 1).prefix(max(1, min(endCol, hi + 1) - startCol))
            let w = max(1, span.reduce(0) { $0 + width($1) })
            out += String(repeating: " ", count: 5) + " | " + pad + "^" + String(repeating: "~", count: w - 1) + "\n"
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
