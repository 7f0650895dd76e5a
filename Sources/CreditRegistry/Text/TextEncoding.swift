/// The text encodings the engine reads: UTF-8, GB18030 (which includes GBK and GB2312) and
/// UTF-16 in either byte order. Everything is turned into UTF-8 on the way in.
public enum TextEncoding: String, Sendable, Hashable, Codable, CaseIterable {
    case utf8 = "UTF-8"
    case gb18030 = "GB18030"
    case utf16LE = "UTF-16LE"
    case utf16BE = "UTF-16BE"

    /// The encoding an XML declaration or a user names, when it is one the engine reads as
    /// GB18030 or UTF-8 (case-insensitive): `UTF-8`/`UTF8`, `GB18030`, `GBK`, `GB2312`
    /// (GBK and GB2312 are subsets of GB18030 and decoded as GB18030). Nil for anything else.
    public init?(declaredName name: String) {
        switch name.uppercased() {
        case "UTF-8", "UTF8": self = .utf8
        case "GB18030", "GBK", "GB2312": self = .gb18030
        default: return nil
        }
    }

    /// The byte-order mark the encoding starts a file with.
    public var byteOrderMark: [UInt8] {
        switch self {
        case .utf8: [0xEF, 0xBB, 0xBF]
        case .gb18030: [0x84, 0x31, 0x95, 0x33]
        case .utf16LE: [0xFF, 0xFE]
        case .utf16BE: [0xFE, 0xFF]
        }
    }

    /// The encoding whose byte-order mark starts `bytes`, if any.
    public static func byteOrderMark(at bytes: some Collection<UInt8>) -> TextEncoding? {
        for e in [TextEncoding.utf8, .gb18030, .utf16LE, .utf16BE] where bytes.starts(with: e.byteOrderMark) { return e }
        return nil
    }
}

/// Bytes that are not valid in the encoding they are read in.
public struct InvalidTextBytes: Error, Sendable, Hashable, CustomStringConvertible {
    /// The encoding the bytes were read in.
    public var encoding: TextEncoding
    /// Offset of the first invalid byte from the start of the input (0-based).
    public var byteOffset: Int
    /// The invalid bytes (at most four).
    public var bytes: [UInt8]
    /// True when the input ended inside a multi-byte sequence.
    public var truncated: Bool

    public init(encoding: TextEncoding, byteOffset: Int, bytes: [UInt8], truncated: Bool = false) {
        self.encoding = encoding; self.byteOffset = byteOffset; self.bytes = Array(bytes.prefix(4)); self.truncated = truncated
    }

    /// The bytes in hex, e.g. `0xFF 0x30`.
    public var hex: String {
        bytes.map { b in "0x" + String(b, radix: 16, uppercase: true).leftPadded(2) }.joined(separator: " ")
    }

    public var description: String {
        truncated ? "the input ends inside a \(encoding.rawValue) character (\(hex)) at byte offset \(byteOffset)"
                  : "invalid \(encoding.rawValue) byte sequence \(hex) at byte offset \(byteOffset)"
    }
}

private extension String {
    func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
