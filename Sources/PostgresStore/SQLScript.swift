import Foundation

/// Splits a script of SQL statements at the semicolons that end them: not inside quotes,
/// dollar-quoted bodies (`$$ … $$`) or `--` comments.
enum SQLScript {
    static func statements(_ script: String) -> [String] {
        var out: [String] = []
        var current = ""
        var inQuote = false, inDollar = false, inComment = false
        let chars = Array(script)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            let next: Character? = i + 1 < chars.count ? chars[i + 1] : nil
            if inComment {
                if c == "\n" { inComment = false; current.append(c) }
                i += 1; continue
            }
            if !inQuote && !inDollar && c == "-" && next == "-" { inComment = true; i += 2; continue }
            if !inDollar && c == "'" { inQuote.toggle() }
            if !inQuote && c == "$" && next == "$" { inDollar.toggle(); current.append("$$"); i += 2; continue }
            if !inQuote && !inDollar && c == ";" {
                let s = current.trimmingCharacters(in: .whitespacesAndNewlines)
                if !s.isEmpty { out.append(s) }
                current = ""
            } else {
                current.append(c)
            }
            i += 1
        }
        let s = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !s.isEmpty { out.append(s) }
        return out
    }
}
