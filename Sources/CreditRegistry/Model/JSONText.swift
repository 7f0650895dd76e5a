/// A minimal JSON writer for hot paths (canonical feed payloads, API responses), where
/// Foundation's `JSONEncoder` costs more than the work it reports on.
///
/// ```swift
/// var j = JSONText()
/// j.object { j.field("code") { j.string("91350100M000100Y43") } }
/// j.text   // {"code":"91350100M000100Y43"}
/// ```
public struct JSONText: Sendable {
    public private(set) var text = ""
    private var needsComma = [false]

    public init(capacity: Int = 512) { text.reserveCapacity(capacity) }

    /// Appends `s` as a JSON string literal.
    public static func appendString(_ s: String, to out: inout String) {
        // Most strings need no escaping: append them whole.
        if !s.utf8.contains(where: needsEscape) {
            out += "\""
            out += s
            out += "\""
            return
        }
        var bytes: [UInt8] = []
        appendString(s, to: &bytes)
        out += String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `s` as a JSON string literal, as UTF-8 bytes: the same bytes as the `String` form.
    /// Quotes, backslashes and control characters are escaped (`\n`, `\r`, `\t`, else `\u00XX`);
    /// everything else is copied as it is.
    public static func appendString(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { bytes in
            out.append(UInt8(ascii: "\""))
            var start = 0
            for (i, b) in bytes.enumerated() where needsEscape(b) {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
                start = i + 1
                out.append(UInt8(ascii: "\\"))
                switch b {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(b)
                case UInt8(ascii: "\n"): out.append(UInt8(ascii: "n"))
                case UInt8(ascii: "\r"): out.append(UInt8(ascii: "r"))
                case UInt8(ascii: "\t"): out.append(UInt8(ascii: "t"))
                default:
                    out.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), HexDigit.of(b >> 4), HexDigit.of(b & 0xF)])
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
            out.append(UInt8(ascii: "\""))
        }
    }

    private static func needsEscape(_ b: UInt8) -> Bool { b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") }

    private mutating func separate() {
        if needsComma[needsComma.count - 1] { text += "," }
        needsComma[needsComma.count - 1] = true
    }

    public mutating func object(_ body: (inout JSONText) -> Void) {
        separate(); text += "{"; needsComma.append(false); body(&self); needsComma.removeLast(); text += "}"
    }

    public mutating func array(_ body: (inout JSONText) -> Void) {
        separate(); text += "["; needsComma.append(false); body(&self); needsComma.removeLast(); text += "]"
    }

    /// A key inside an object; `value` writes exactly one value.
    public mutating func field(_ key: String, _ value: (inout JSONText) -> Void) {
        separate(); Self.appendString(key, to: &text); text += ":"
        needsComma.append(false); value(&self); needsComma.removeLast()
    }

    public mutating func string(_ s: String?) {
        separate()
        if let s { Self.appendString(s, to: &text) } else { text += "null" }
    }

    public mutating func bool(_ b: Bool) { separate(); text += b ? "true" : "false" }

    public mutating func int(_ i: Int64) { separate(); text += String(i) }
}
