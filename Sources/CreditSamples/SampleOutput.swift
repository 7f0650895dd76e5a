import CreditRegistry
import FeedIngest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A buffered file writer for generated samples: appends bytes, flushes every 1 MiB.
final class SampleOutput {
    private let file: UnsafeMutablePointer<FILE>
    private var buffer: [UInt8] = []
    let path: String

    init(path: String) throws(FeedGeneratorError) {
        guard let f = fopen(path, "wb") else { throw FeedGeneratorError(reason: "cannot create \(path)") }
        file = f
        self.path = path
        buffer.reserveCapacity(1 << 20 + 4096)
    }

    deinit { fclose(file) }

    func write(_ s: String) {
        var s = s
        s.withUTF8 { buffer.append(contentsOf: $0) }
        if buffer.count >= 1 << 20 { flush() }
    }

    /// Writes `<tag>text</tag>` on its own line, escaping the text.
    func element(_ tag: String, _ text: String, indent: Int = 4) {
        buffer.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent))
        buffer.append(UInt8(ascii: "<")); write(tag); buffer.append(UInt8(ascii: ">"))
        var t = text
        t.withUTF8 { bytes in
            for b in bytes {
                switch b {
                case UInt8(ascii: "&"): buffer.append(contentsOf: Array("&amp;".utf8))
                case UInt8(ascii: "<"): buffer.append(contentsOf: Array("&lt;".utf8))
                case UInt8(ascii: ">"): buffer.append(contentsOf: Array("&gt;".utf8))
                default: buffer.append(b)
                }
            }
        }
        buffer.append(contentsOf: Array("</".utf8)); write(tag); buffer.append(contentsOf: Array(">\n".utf8))
    }

    func flush() {
        buffer.withUnsafeBytes { _ = fwrite($0.baseAddress, 1, $0.count, file) }
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws(FeedGeneratorError) {
        flush()
        if fflush(file) != 0 { throw FeedGeneratorError(reason: "cannot write \(path)") }
    }
}
