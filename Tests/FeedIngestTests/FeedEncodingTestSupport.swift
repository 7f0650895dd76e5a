import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Re-encodes test feeds and mutates their bytes.
enum FeedBytes {
    /// `text` encoded as GB18030 (iconv), for feeds a bureau writes in GB18030.
    static func gb18030(_ text: String) -> [UInt8] {
        let cd = iconv_open("GB18030", "UTF-8")
        defer { iconv_close(cd) }
        var input = Array(text.utf8)
        var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
        let produced = input.withUnsafeMutableBufferPointer { ib in
            output.withUnsafeMutableBufferPointer { ob in
                var ip: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(ib.baseAddress!).assumingMemoryBound(to: CChar.self)
                var op: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(ob.baseAddress!).assumingMemoryBound(to: CChar.self)
                var il = ib.count, ol = ob.count
                _ = iconv(cd, &ip, &il, &op, &ol)
                precondition(il == 0, "the text is not encodable in GB18030")
                return ob.count - ol
            }
        }
        return Array(output[0..<produced])
    }

    /// The feed with its declared encoding replaced (the bytes are left as they are).
    static func declaring(_ encoding: String, _ bytes: [UInt8]) -> [UInt8] {
        let from = Array(#"encoding="UTF-8""#.utf8)
        guard let at = (0...(bytes.count - from.count)).first(where: { bytes[$0..<($0 + from.count)].elementsEqual(from) }) else { return bytes }
        var out = bytes
        out.replaceSubrange(at..<(at + from.count), with: Array(#"encoding="\#(encoding)""#.utf8))
        return out
    }

    /// The index of the first occurrence of `needle` in `bytes`.
    static func index(of needle: String, in bytes: [UInt8]) -> Int? {
        let n = Array(needle.utf8)
        guard bytes.count >= n.count else { return nil }
        return (0...(bytes.count - n.count)).first { bytes[$0..<($0 + n.count)].elementsEqual(n) }
    }

    /// 1-based line of byte `offset`.
    static func line(at offset: Int, in bytes: [UInt8]) -> Int { bytes[0..<offset].filter { $0 == 0x0A }.count + 1 }
}

/// SplitMix64: the fuzz tests' seeded generator.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }
}
