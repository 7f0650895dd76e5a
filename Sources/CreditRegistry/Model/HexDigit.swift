/// Lower-case hexadecimal digits as UTF-8 bytes (digests, JSON's `\u00XX` escapes).
enum HexDigit {
    /// The digit of a value 0…15.
    @inline(__always) static func of(_ v: UInt8) -> UInt8 { v < 10 ? 48 + v : 87 + v }
}
