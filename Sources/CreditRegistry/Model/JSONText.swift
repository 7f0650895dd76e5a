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
        out += "\""
        // Most strings need no escaping: append them whole.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out += s
            out += "\""
            return
        }
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else { out.unicodeScalars.append(u) }
            }
        }
        out += "\""
    }

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
