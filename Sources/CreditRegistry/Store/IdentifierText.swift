/// Normalisation of identifier text as people type it: full-width forms, spaces (also the
/// ideographic space), hyphens and lower case are accepted.
public enum IdentifierText {
    /// `"９１３５ 0100-m000100y43"` → `"91350100M000100Y43"`.
    public static func normalise(_ text: String) -> String {
        // Most codes arrive already normal (ASCII, upper case, no separators): return them as they are.
        if text.utf8.allSatisfy({ $0 < 0x80 && $0 != 0x20 && $0 != 0x2D && $0 != 0x09 && !($0 >= 0x61 && $0 <= 0x7A) }) {
            return text
        }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            var v = s.value
            if v >= 0xFF01 && v <= 0xFF5E { v -= 0xFEE0 }          // full-width ASCII
            if v == 0x20 || v == 0x3000 || v == 0x2D || v == 0x09 || v == 0xFF0D || v == 0x2010 || v == 0x2212 { continue }
            if v >= 0x61 && v <= 0x7A { v -= 0x20 }                // lower → upper
            if let u = Unicode.Scalar(v) { out.append(u) }
        }
        return String(out)
    }
}
