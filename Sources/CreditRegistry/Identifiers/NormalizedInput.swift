/// An identifier as typed, normalised: full-width digits and letters (０-９, Ａ-Ｚ, ａ-ｚ) become
/// ASCII, lower case becomes upper case, and spaces (including U+3000 and no-break space), tabs,
/// carriage returns, hyphens and dashes (including the full-width hyphen) and a byte-order mark
/// are dropped. Every other character is kept as a marker byte (0xFF) so that the parsers can
/// report it, with the first such character remembered for the message.
///
/// Works on UTF-8 bytes and keeps the first 24 normalised bytes inline: no allocation.
struct NormalizedInput {
    static let foreignMarker: UInt8 = 0xFF

    /// The first (up to 24) normalised bytes.
    var bytes = PackedASCII()
    /// The number of normalised characters (may exceed the 24 kept).
    var length = 0
    /// The first character that could not be normalised, and its 1-based position.
    var foreign: Unicode.Scalar?
    var foreignPosition = 0

    init(_ text: String) {
        var text = text
        self = text.withUTF8 { NormalizedInput(utf8: $0) }
    }

    init(utf8 p: UnsafeBufferPointer<UInt8>) {
        let n = p.count
        var i = 0
        while i < n {
            let b = p[i]
            if b < 0x80 {
                i &+= 1
                switch b {
                case 0x30...0x39, 0x41...0x5A: emit(b)
                case 0x61...0x7A: emit(b &- 32)
                case 0x20, 0x09, 0x0D, 0x0A, 0x2D: continue
                default: emitForeign(Unicode.Scalar(b))
                }
                continue
            }
            var len: Int
            switch b {
            case 0xC2...0xDF: len = 2
            case 0xE0...0xEF: len = 3
            case 0xF0...0xF4: len = 4
            default: len = 1   // a stray continuation or an invalid lead byte
            }
            if len > 1 {
                for k in 1..<len where i &+ k >= n || p[i &+ k] & 0xC0 != 0x80 { len = 1; break }
            }
            let b1: UInt8 = i &+ 1 < n ? p[i &+ 1] : 0
            let b2: UInt8 = i &+ 2 < n ? p[i &+ 2] : 0
            var handled = true
            if len == 3 && i &+ 2 < n {
                switch (b, b1, b2) {
                case (0xEF, 0xBC, 0x90...0x99): emit(b2 &- 0x90 &+ 0x30)   // ０-９
                case (0xEF, 0xBC, 0xA1...0xBA): emit(b2 &- 0xA1 &+ 0x41)   // Ａ-Ｚ
                case (0xEF, 0xBD, 0x81...0x9A): emit(b2 &- 0x81 &+ 0x41)   // ａ-ｚ
                case (0xEF, 0xBC, 0x8D): break                              // － full-width hyphen
                case (0xE3, 0x80, 0x80): break                              // ideographic space
                case (0xE2, 0x80, 0x90...0x95): break                       // ‐ ‑ ‒ – — ―
                case (0xE2, 0x88, 0x92): break                              // − minus sign
                case (0xEF, 0xBB, 0xBF): break                              // byte-order mark
                default: handled = false
                }
            } else if len == 2 && b == 0xC2 && b1 == 0xA0 {
                // no-break space
            } else {
                handled = false
            }
            if !handled {
                let end = min(i &+ len, n)
                let scalar = String(decoding: UnsafeBufferPointer(rebasing: p[i..<end]), as: UTF8.self)
                    .unicodeScalars.first ?? "\u{FFFD}"
                emitForeign(scalar)
            }
            i &+= len
        }
    }

    @inline(__always)
    private mutating func emit(_ b: UInt8) {
        bytes.append(b)
        length &+= 1
    }

    private mutating func emitForeign(_ s: Unicode.Scalar) {
        if foreign == nil {
            foreign = s
            foreignPosition = length &+ 1
        }
        emit(NormalizedInput.foreignMarker)
    }

    @inline(__always)
    subscript(i: Int) -> UInt8 { bytes[i] }

    /// The character at 0-based index `i` as it should appear in a message.
    func character(at i: Int) -> Character {
        let b = bytes[i]
        if b == NormalizedInput.foreignMarker {
            return Character(i + 1 == foreignPosition ? (foreign ?? "\u{FFFD}") : "\u{FFFD}")
        }
        return Character(Unicode.Scalar(b))
    }

    /// The normalised text (non-normalisable characters shown as themselves when known).
    var string: String {
        if foreign == nil && length <= PackedASCII.capacity { return bytes.string }
        var s = ""
        for i in 0..<min(length, PackedASCII.capacity) { s.append(character(at: i)) }
        return s
    }

    var isAllDigits: Bool {
        guard length <= PackedASCII.capacity else { return false }
        for i in 0..<length where !Checksum.isDigit(bytes[i]) { return false }
        return true
    }
}
