#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams bytes in one ``TextEncoding`` to UTF-8, refusing the first invalid byte.
///
/// Chunks may split a character anywhere: the bytes of an unfinished sequence are kept for the
/// next call. UTF-8 is validated strictly (no overlong forms, surrogates or code points above
/// U+10FFFF) and passed through; UTF-16 is decoded here (unpaired surrogates are invalid);
/// GB18030 goes through iconv. Nothing is ever replaced: an invalid byte throws
/// ``InvalidTextBytes`` with its offset from the start of the input, after the valid bytes before
/// it have been appended.
///
/// ```swift
/// let t = try TextTranscoder(from: .gb18030)
/// var out: [UInt8] = []
/// try t.decode([0xD6, 0xD0], final: true, into: &out)   // "中"
/// ```
public final class TextTranscoder {
    public let encoding: TextEncoding
    /// Input bytes consumed so far, including those kept for the next call.
    public private(set) var bytesIn = 0

    private var carry: [UInt8] = []
    private var cd: iconv_t?
    private var scratch: [UInt8] = []

    /// - throws: ``TextTranscoderUnavailable`` when the system has no GB18030 converter.
    public init(from encoding: TextEncoding) throws(TextTranscoderUnavailable) {
        self.encoding = encoding
        if encoding == .gb18030 {
            let h = iconv_open("UTF-8", "GB18030")
            guard let h, h != iconv_t(bitPattern: -1) else { throw TextTranscoderUnavailable(encoding: encoding) }
            cd = h
        }
    }

    deinit { if let cd { iconv_close(cd) } }

    /// Appends the UTF-8 form of `input` to `out`. Call with `final: true` at the end of the input
    /// (an empty `input` is fine) so that an unfinished character is reported.
    public func decode(_ input: UnsafeBufferPointer<UInt8>, final: Bool, into out: inout [UInt8]) throws(InvalidTextBytes) {
        let base = bytesIn - carry.count
        bytesIn += input.count
        if carry.isEmpty {
            try decodeJoined(input, base: base, final: final, into: &out)
        } else {
            let joined = carry + Array(input)
            carry.removeAll()
            try joined.withUnsafeBufferPointer { (j) throws(InvalidTextBytes) in try decodeJoined(j, base: base, final: final, into: &out) }
        }
    }

    /// Convenience for arrays.
    public func decode(_ input: [UInt8], final: Bool, into out: inout [UInt8]) throws(InvalidTextBytes) {
        try input.withUnsafeBufferPointer { (b) throws(InvalidTextBytes) in try decode(b, final: final, into: &out) }
    }

    private func decodeJoined(_ b: UnsafeBufferPointer<UInt8>, base: Int, final: Bool, into out: inout [UInt8]) throws(InvalidTextBytes) {
        switch encoding {
        case .utf8: try utf8(b, base: base, final: final, into: &out)
        case .utf16LE, .utf16BE: try utf16(b, base: base, final: final, bigEndian: encoding == .utf16BE, into: &out)
        case .gb18030: try gb18030(b, base: base, final: final, into: &out)
        }
    }

    // MARK: UTF-8

    /// Length of the valid UTF-8 prefix of `b`, and whether what stops it is an unfinished
    /// sequence at the very end (rather than an invalid byte).
    public static func validUTF8Prefix(_ b: UnsafeBufferPointer<UInt8>) -> (length: Int, unfinished: Bool) {
        var i = 0
        let n = b.count
        while i < n {
            // ASCII runs, eight bytes at a time.
            while i + 8 <= n {
                let w = UnsafeRawPointer(b.baseAddress! + i).loadUnaligned(as: UInt64.self)
                if w & 0x8080_8080_8080_8080 != 0 { break }
                i += 8
            }
            guard i < n else { break }
            let c = b[i]
            if c < 0x80 { i += 1; continue }
            let len: Int
            var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
            switch c {
            case 0xC2...0xDF: len = 2
            case 0xE0: len = 3; lo = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: len = 3
            case 0xED: len = 3; hi = 0x9F
            case 0xF0: len = 4; lo = 0x90
            case 0xF1...0xF3: len = 4
            case 0xF4: len = 4; hi = 0x8F
            default: return (i, false)
            }
            for k in 1..<len {
                guard i + k < n else { return (i, true) }
                let t = b[i + k]
                let ok = k == 1 ? (t >= lo && t <= hi) : (t >= 0x80 && t <= 0xBF)
                if !ok { return (i, false) }
            }
            i += len
        }
        return (n, false)
    }

    private func utf8(_ b: UnsafeBufferPointer<UInt8>, base: Int, final: Bool, into out: inout [UInt8]) throws(InvalidTextBytes) {
        let (valid, unfinished) = Self.validUTF8Prefix(b)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: b[0..<valid]))
        if valid == b.count { return }
        let rest = Array(b[valid...])
        if unfinished && !final { carry = rest; return }
        throw InvalidTextBytes(encoding: .utf8, byteOffset: base + valid, bytes: rest, truncated: unfinished)
    }

    // MARK: UTF-16

    private func utf16(_ b: UnsafeBufferPointer<UInt8>, base: Int, final: Bool, bigEndian: Bool, into out: inout [UInt8]) throws(InvalidTextBytes) {
        var i = 0
        let n = b.count
        func unit(_ at: Int) -> UInt32 {
            bigEndian ? UInt32(b[at]) << 8 | UInt32(b[at + 1]) : UInt32(b[at + 1]) << 8 | UInt32(b[at])
        }
        while i + 1 < n {
            let u = unit(i)
            var scalar = u
            var len = 2
            if u >= 0xD800 && u <= 0xDBFF {
                guard i + 3 < n else { break }
                let l = unit(i + 2)
                guard l >= 0xDC00 && l <= 0xDFFF else {
                    throw InvalidTextBytes(encoding: encoding, byteOffset: base + i, bytes: Array(b[i..<(i + 4)]))
                }
                scalar = 0x10000 + ((u - 0xD800) << 10) + (l - 0xDC00)
                len = 4
            } else if u >= 0xDC00 && u <= 0xDFFF {
                throw InvalidTextBytes(encoding: encoding, byteOffset: base + i, bytes: Array(b[i..<(i + 2)]))
            }
            switch scalar {
            case 0..<0x80: out.append(UInt8(scalar))
            case 0x80..<0x800:
                out.append(UInt8(0xC0 | scalar >> 6)); out.append(UInt8(0x80 | scalar & 0x3F))
            case 0x800..<0x10000:
                out.append(UInt8(0xE0 | scalar >> 12)); out.append(UInt8(0x80 | (scalar >> 6) & 0x3F)); out.append(UInt8(0x80 | scalar & 0x3F))
            default:
                out.append(UInt8(0xF0 | scalar >> 18)); out.append(UInt8(0x80 | (scalar >> 12) & 0x3F))
                out.append(UInt8(0x80 | (scalar >> 6) & 0x3F)); out.append(UInt8(0x80 | scalar & 0x3F))
            }
            i += len
        }
        guard i < n else { return }
        if !final { carry = Array(b[i...]); return }
        throw InvalidTextBytes(encoding: encoding, byteOffset: base + i, bytes: Array(b[i...]), truncated: true)
    }

    // MARK: GB18030

    private func gb18030(_ b: UnsafeBufferPointer<UInt8>, base: Int, final: Bool, into out: inout [UInt8]) throws(InvalidTextBytes) {
        guard let cd, let start = b.baseAddress, b.count > 0 else { return }
        if scratch.count < 4096 { scratch = [UInt8](repeating: 0, count: 65536) }
        var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutablePointer(mutating: UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self))
        var inLeft = b.count
        while inLeft > 0 {
            let (produced, err): (Int, Int32) = scratch.withUnsafeMutableBufferPointer { ob in
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(ob.baseAddress!).assumingMemoryBound(to: CChar.self)
                var outLeft = ob.count
                let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                return (ob.count - outLeft, r == -1 ? errno : 0)
            }
            out.append(contentsOf: scratch[0..<produced])
            if err == 0 || err == E2BIG { continue }
            let at = b.count - inLeft
            if err == EINVAL && !final {
                carry = Array(b[at...])
                return
            }
            iconv(cd, nil, nil, nil, nil)
            throw InvalidTextBytes(encoding: .gb18030, byteOffset: base + at, bytes: Array(b[at..<min(b.count, at + 4)]),
                                   truncated: err == EINVAL)
        }
    }
}

/// The system cannot convert from an encoding (no iconv module for it).
public struct TextTranscoderUnavailable: Error, Sendable, CustomStringConvertible {
    public var encoding: TextEncoding
    public var description: String { "this system cannot convert \(encoding.rawValue) (no iconv converter)" }
}
