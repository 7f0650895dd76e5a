import CreditRegistry
import Decisions
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams bank files to UTF-8: valid UTF-8 (with or without BOM) passes through; anything else
/// is taken as GB18030 (which includes GBK and GB2312) and transcoded with iconv.
///
/// The decision is made at the first non-ASCII byte (ASCII is the same in both encodings):
/// if the following bytes (up to 4 KiB) are valid UTF-8 the file is UTF-8, otherwise GB18030.
/// Bytes iconv cannot convert become U+FFFD and the rest of the row is kept.
final class InputDecoder {
    enum Encoding: String, Sendable { case undecided, utf8 = "UTF-8", gb18030 = "GB18030" }

    private(set) var encoding: Encoding = .undecided
    private var started = false
    private var carry: [UInt8] = []
    private var cd: iconv_t?

    deinit { if let cd { iconv_close(cd) } }

    /// Appends the UTF-8 form of `input` to `out`. Call once more with `final: true` at the end.
    func decode(_ input: UnsafeBufferPointer<UInt8>, final: Bool, into out: inout [UInt8]) throws {
        var bytes = input
        var joined: [UInt8] = []
        if !carry.isEmpty {
            joined = carry + Array(input)
            carry.removeAll()
        }
        try joined.withUnsafeBufferPointer { j in
            if !joined.isEmpty { bytes = j }
            var start = 0
            if !started {
                guard bytes.count >= 4 || final else { carry = Array(bytes); return }
                started = true
                if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3; encoding = .utf8 }
                else if bytes.count >= 4, bytes[0] == 0x84, bytes[1] == 0x31, bytes[2] == 0x95, bytes[3] == 0x33 { start = 4; try openIconv() }
            }
            var rest = UnsafeBufferPointer(rebasing: bytes[start...])
            if encoding == .undecided {
                var i = 0
                while i < rest.count && rest[i] < 0x80 { i += 1 }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: rest[0..<i]))
                rest = UnsafeBufferPointer(rebasing: rest[i...])
                if rest.isEmpty { return }
                if rest.count < 64 && !final { carry = Array(rest); return }
                if Self.isUTF8(UnsafeBufferPointer(rebasing: rest[0..<min(rest.count, 4096)]), allowTruncatedEnd: true) {
                    encoding = .utf8
                } else {
                    try openIconv()
                }
            }
            switch encoding {
            case .utf8, .undecided:
                out.append(contentsOf: rest)
            case .gb18030:
                try transcode(rest, final: final, into: &out)
            }
        }
    }

    private func openIconv() throws {
        let h = iconv_open("UTF-8", "GB18030")
        guard let h, h != iconv_t(bitPattern: -1) else { throw BatchError(message: "cannot open the GB18030 converter (iconv)") }
        cd = h
        encoding = .gb18030
    }

    private func transcode(_ input: UnsafeBufferPointer<UInt8>, final: Bool, into out: inout [UInt8]) throws {
        guard let cd, let base = input.baseAddress else { return }
        var inPtr = UnsafeMutablePointer<CChar>(mutating: UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self))
        var inLeft = input.count
        var buffer = [UInt8](repeating: 0, count: max(4096, input.count * 2))
        while inLeft > 0 {
            let (converted, err): (Int, Int32) = buffer.withUnsafeMutableBufferPointer { ob in
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(ob.baseAddress!).assumingMemoryBound(to: CChar.self)
                var outLeft = ob.count
                var ip: UnsafeMutablePointer<CChar>? = inPtr
                let r = iconv(cd, &ip, &inLeft, &outPtr, &outLeft)
                inPtr = ip!
                return (ob.count - outLeft, r == -1 ? errno : 0)
            }
            out.append(contentsOf: buffer[0..<converted])
            if err == 0 || err == E2BIG { continue }
            if err == EINVAL {                      // incomplete sequence at the end of the chunk
                if final { out.append(contentsOf: [0xEF, 0xBF, 0xBD]); inLeft = 0 }
                else { carry = Array(UnsafeBufferPointer(start: UnsafeRawPointer(inPtr).assumingMemoryBound(to: UInt8.self), count: inLeft)) }
                return
            }
            // EILSEQ: not GB18030; replace one byte and go on.
            out.append(contentsOf: [0xEF, 0xBF, 0xBD])
            inPtr += 1; inLeft -= 1
        }
    }

    /// Strict UTF-8 validation; a sequence cut by the end of the buffer counts as valid when
    /// `allowTruncatedEnd`.
    static func isUTF8(_ b: UnsafeBufferPointer<UInt8>, allowTruncatedEnd: Bool) -> Bool {
        var i = 0
        let n = b.count
        while i < n {
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
            default: return false
            }
            for k in 1..<len {
                guard i + k < n else { return allowTruncatedEnd }
                let t = b[i + k]
                if k == 1 { guard t >= lo && t <= hi else { return false } } else { guard t >= 0x80 && t <= 0xBF else { return false } }
            }
            i += len
        }
        return true
    }
}
