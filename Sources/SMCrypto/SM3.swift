import CLibCrypto

/// The SM3 hash (GB/T 32905), 32 bytes, through libcrypto.
///
/// ```swift
/// SM3.hex(Array("abc".utf8))   // "66c7f0f4…8f4ba8e0"
/// ```
public enum SM3 {
    /// The digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        let ok = credit_sm3(bytes, bytes.count, &out)
        precondition(ok == 1, "libcrypto provides SM3 (OpenSSL 3)")
        return out
    }

    /// The digest of `bytes` as 64 lower-case hex digits.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for b in hash(bytes) { text.append(digits[Int(b >> 4)]); text.append(digits[Int(b & 0x0F)]) }
        return String(decoding: text, as: UTF8.self)
    }
}
