#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file descriptor line by line in 64 KiB blocks, handing each line (without the
/// line break) to a closure as bytes: streaming, with no `String` per line.
enum LineReader {
    struct ReadError: Error, CustomStringConvertible {
        var errno: Int32
        var description: String { "read error: \(String(cString: strerror(errno)))" }
    }

    /// Calls `body` with every line of `fd` until end of file. A final line without a line
    /// break is passed too.
    static func forEachLine(fd: Int32 = 0, _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var start = 0   // first byte of the current (incomplete) line
        var end = 0     // end of valid data
        while true {
            if end == buffer.count {
                if start > 0 {
                    // move the incomplete line to the front
                    buffer.withUnsafeMutableBytes { raw in
                        guard let base = raw.baseAddress else { return }
                        memmove(base, base + start, end - start)
                    }
                    end -= start
                    start = 0
                } else {
                    buffer.append(contentsOf: repeatElement(0, count: buffer.count))   // a very long line
                }
            }
            let n = buffer.withUnsafeMutableBytes { raw in
                read(fd, raw.baseAddress.map { $0 + end }, raw.count - end)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw ReadError(errno: errno)
            }
            if n == 0 { break }
            let scanFrom = end
            end += n
            try buffer.withUnsafeBufferPointer { p in
                var i = scanFrom
                while i < end {
                    if p[i] == 0x0A {
                        try body(UnsafeBufferPointer(rebasing: p[start..<i]))
                        start = i + 1
                    }
                    i += 1
                }
            }
            if start == end { start = 0; end = 0 }
        }
        if start < end {
            try buffer.withUnsafeBufferPointer { p in try body(UnsafeBufferPointer(rebasing: p[start..<end])) }
        }
    }
}
