import NIOCore

/// A minimal JSON writer straight into a response's `ByteBuffer` (no `String` built and then
/// copied), for the hottest answers. Same output as ``JSONText`` (keys in the order written,
/// strings escaped alike).
///
/// ```swift
/// var j = JSONBuffer()
/// j.object { j in j.field("code") { $0.string("91350100M000100Y43") } }
/// j.buffer   // {"code":"91350100M000100Y43"}
/// ```
struct JSONBuffer {
    private(set) var buffer: ByteBuffer
    /// Per open container: whether a value was written in it (the next needs a comma).
    private var needsComma: [Bool] = [false]

    init(capacity: Int = 1024) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
        needsComma.reserveCapacity(8)
    }

    private mutating func separate() {
        if needsComma[needsComma.count - 1] { buffer.writeInteger(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
    }

    mutating func object(_ body: (inout JSONBuffer) -> Void) {
        separate(); buffer.writeInteger(UInt8(ascii: "{")); needsComma.append(false)
        body(&self)
        needsComma.removeLast(); buffer.writeInteger(UInt8(ascii: "}"))
    }

    mutating func array(_ body: (inout JSONBuffer) -> Void) {
        separate(); buffer.writeInteger(UInt8(ascii: "[")); needsComma.append(false)
        body(&self)
        needsComma.removeLast(); buffer.writeInteger(UInt8(ascii: "]"))
    }

    /// A key inside an object (a literal: written as it is, it needs no escaping); `value`
    /// writes exactly one value.
    mutating func field(_ key: StaticString, _ value: (inout JSONBuffer) -> Void) {
        separate()
        buffer.writeInteger(UInt8(ascii: "\"")); buffer.writeStaticString(key); buffer.writeStaticString("\":")
        needsComma.append(false); value(&self); needsComma.removeLast()
    }

    mutating func string(_ s: String?) {
        separate()
        guard let s else { buffer.writeStaticString("null"); return }
        buffer.writeInteger(UInt8(ascii: "\""))
        // Most strings need no escaping: written whole.
        if !s.utf8.contains(where: Self.needsEscape) {
            buffer.writeString(s)
        } else {
            for b in s.utf8 {
                switch b {
                case UInt8(ascii: "\""): buffer.writeStaticString("\\\"")
                case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
                case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
                case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
                case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
                case ..<0x20:
                    let hex: StaticString = "0123456789abcdef"
                    buffer.writeStaticString("\\u00")
                    buffer.writeInteger(hex.utf8Start[Int(b >> 4)])
                    buffer.writeInteger(hex.utf8Start[Int(b & 0xF)])
                default: buffer.writeInteger(b)   // UTF-8 continuation bytes pass unchanged
                }
            }
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    mutating func bool(_ b: Bool) { separate(); buffer.writeStaticString(b ? "true" : "false") }

    mutating func int(_ i: Int64) { separate(); buffer.writeString(String(i)) }

    private static func needsEscape(_ b: UInt8) -> Bool { b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") }
}
