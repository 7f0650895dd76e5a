#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A buffered writer to a file descriptor: output is built as bytes and written in large
/// chunks, so that a million lines cost a few hundred `write` calls rather than a million.
/// Call ``flush()`` at the end; keep one instance per descriptor (it is a value).
struct ByteOutput {
    private var buffer: [UInt8] = []
    private let fd: Int32
    private let chunk: Int

    init(fd: Int32 = 1, chunk: Int = 1 << 16) {
        self.fd = fd
        self.chunk = chunk
        buffer.reserveCapacity(chunk + 4096)
    }

    mutating func write(_ s: StaticString) {
        s.withUTF8Buffer { buffer.append(contentsOf: $0) }
        flushIfFull()
    }

    mutating func write(_ s: String) {
        var s = s
        s.withUTF8 { buffer.append(contentsOf: $0) }
        flushIfFull()
    }

    mutating func write(bytes: UnsafeBufferPointer<UInt8>) {
        buffer.append(contentsOf: bytes)
        flushIfFull()
    }

    mutating func write(byte: UInt8) {
        buffer.append(byte)
    }

    mutating func write(int: Int) {
        if int < 0 { buffer.append(UInt8(ascii: "-")) }
        var v = int.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat { d[n] = UInt8(v % 10) + 48; v /= 10; n += 1 } while v > 0
            for i in stride(from: n - 1, through: 0, by: -1) { buffer.append(d[i]) }
        }
    }

    /// Writes `s` as a JSON string literal (quotes included).
    mutating func writeJSONString(_ s: String) {
        var s = s
        s.withUTF8 { writeJSONEscaped($0) }
    }

    /// Writes UTF-8 bytes as a JSON string literal; invalid UTF-8 is repaired (U+FFFD).
    mutating func writeJSONString(utf8 p: UnsafeBufferPointer<UInt8>) {
        if p.contains(where: { $0 >= 0x80 }) && String(validating: p, as: UTF8.self) == nil {
            var repaired = String(decoding: p, as: UTF8.self)
            repaired.withUTF8 { writeJSONEscaped($0) }
            return
        }
        writeJSONEscaped(p)
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func writeJSONEscaped(_ p: UnsafeBufferPointer<UInt8>) {
        buffer.append(0x22)
        var run = 0
        for i in 0..<p.count {
            let b = p[i]
            guard b < 0x20 || b == 0x22 || b == 0x5C else { continue }
            if run < i { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: p[run..<i])) }
            run = i + 1
            switch b {
            case 0x22, 0x5C: buffer.append(0x5C); buffer.append(b)
            case 0x0A: buffer.append(0x5C); buffer.append(UInt8(ascii: "n"))
            case 0x0D: buffer.append(0x5C); buffer.append(UInt8(ascii: "r"))
            case 0x09: buffer.append(0x5C); buffer.append(UInt8(ascii: "t"))
            default:
                buffer.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, Self.hex[Int(b >> 4)], Self.hex[Int(b & 15)]])
            }
        }
        if run < p.count { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: p[run..<p.count])) }
        buffer.append(0x22)
        flushIfFull()
    }

    /// Writes `s` as a CSV field, quoted when it holds a comma, quote or line break.
    mutating func writeCSVField(_ s: String) {
        guard s.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
            write(s)
            return
        }
        buffer.append(0x22)
        for b in s.utf8 {
            if b == 0x22 { buffer.append(0x22) }
            buffer.append(b)
        }
        buffer.append(0x22)
        flushIfFull()
    }

    @inline(__always)
    mutating func flushIfFull() {
        if buffer.count >= chunk { flushBuffer() }
    }

    mutating func flush() { flushBuffer() }

    private mutating func flushBuffer() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc_write(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    break   // EPIPE and friends: the reader went away; drop the output
                }
                offset += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

@inline(__always)
private func Glibc_write(_ fd: Int32, _ p: UnsafeRawPointer?, _ n: Int) -> Int {
    write(fd, p, n)
}
