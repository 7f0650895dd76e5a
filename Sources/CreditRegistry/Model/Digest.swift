import Crypto

/// SHA-256 in lower-case hex, the one digest of the project (feeds, records, audit chain,
/// rule-set versions), from swift-crypto (hardware-accelerated where the CPU allows).
public enum Digest {
    /// `Digest.sha256Hex(Array("abc".utf8))` → `"ba7816bf…"`.
    public static func sha256Hex(_ bytes: some Sequence<UInt8>) -> String {
        var h = SHA256()
        // A native string's UTF-8 (a feed record's payload) is hashed in place, not copied first.
        if bytes.withContiguousStorageIfAvailable({ h.update(bufferPointer: UnsafeRawBufferPointer($0)) }) == nil {
            h.update(data: Array(bytes))
        }
        return hex(h.finalize())
    }

    /// Hex of any digest.
    public static func hex(_ digest: some Sequence<UInt8>) -> String {
        var out = [UInt8]()
        out.reserveCapacity(64)
        for b in digest { out.append(HexDigit.of(b >> 4)); out.append(HexDigit.of(b & 15)) }
        return String(decoding: out, as: UTF8.self)
    }

    /// A digest fed in pieces (e.g. a feed as it streams by).
    public struct Streaming {
        private var h = SHA256()
        public init() {}
        public mutating func update(_ bytes: UnsafeRawBufferPointer) { h.update(bufferPointer: bytes) }
        public mutating func update(_ bytes: [UInt8]) { bytes.withUnsafeBytes { h.update(bufferPointer: $0) } }
        public func finalizeHex() -> String { Digest.hex(h.finalize()) }
    }
}
