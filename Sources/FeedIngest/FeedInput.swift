import CreditRegistry
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A feed file read as UTF-8, whatever accepted encoding it is in (see ``FeedEncoding``): the raw
/// bytes are hashed, validated and transcoded before the parser gets them, and the first invalid
/// byte refuses the feed with its line and byte offset in the file.
final class FeedInput {
    let file: String
    let fd: Int32
    let fileSize: Int
    private(set) var encoding: TextEncoding = .utf8
    /// Raw bytes read from the file so far.
    private(set) var bytesRead = 0
    /// SHA-256 of the raw file, once read to its end.
    private(set) var digest: String?
    private var sha = Digest.Streaming()
    private var transcoder: TextTranscoder?
    private var replacement: [UInt8] = []
    private var skip = 0
    private var lines = 0
    private var started = false
    private var atEnd = false
    private let chunk: Int
    private var raw: [UInt8]

    init(path: String, chunkSize: Int) throws(FeedError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw FeedError(kind: .io, file: path, reason: "cannot open: \(String(cString: strerror(errno)))")
        }
        var st = stat()
        self.fileSize = fstat(fd, &st) == 0 ? Int(st.st_size) : 0
        self.fd = fd
        self.file = path
        self.chunk = chunkSize
        self.raw = [UInt8](repeating: 0, count: chunkSize)
    }

    deinit { close(fd) }

    /// The next piece of the feed as UTF-8 (appended to `out`), or false at the end of the file.
    func next(into out: inout [UInt8]) throws(FeedError) -> Bool {
        guard !atEnd else { return false }
        if !started {
            started = true
            var head: [UInt8] = []
            while head.count < FeedEncoding.sniffLength {
                let got = try readChunk(max: FeedEncoding.sniffLength - head.count)
                if got.isEmpty { break }
                head += got
            }
            let detected = try FeedEncoding.detect(head, file: file)
            encoding = detected.encoding
            do { transcoder = try TextTranscoder(from: encoding) } catch {
                throw FeedError(kind: .encoding, file: file, reason: error.description)
            }
            replacement = detected.declarationReplacement
            skip = detected.declarationLength
            out.append(contentsOf: replacement)
            try decode(Array(head[skip...]), offset: skip, final: head.count < FeedEncoding.sniffLength, into: &out)
            if head.count < FeedEncoding.sniffLength { finish() }
            return true
        }
        let got = try readChunk(max: chunk)
        try decode(got, offset: bytesRead - got.count, final: got.isEmpty, into: &out)
        if got.isEmpty { finish(); return !out.isEmpty }
        return true
    }

    private func finish() {
        atEnd = true
        digest = sha.finalizeHex()
    }

    private func readChunk(max: Int) throws(FeedError) -> [UInt8] {
        let fd = self.fd
        while true {
            let n = raw.withUnsafeMutableBytes { read(fd, $0.baseAddress, max) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FeedError(kind: .io, file: file, reason: "read failed: \(String(cString: strerror(errno)))")
            }
            let got = Array(raw[0..<n])
            sha.update(got)
            bytesRead += n
            return got
        }
    }

    private static func newlines(_ b: ArraySlice<UInt8>) -> Int {
        b.withUnsafeBufferPointer { p in
            guard var at = p.baseAddress else { return 0 }
            let end = at + p.count
            var n = 0
            while at < end, let hit = memchr(at, 0x0A, end - at) {
                n += 1
                at = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) + 1
            }
            return n
        }
    }

    private func decode(_ bytes: [UInt8], offset: Int, final: Bool, into out: inout [UInt8]) throws(FeedError) {
        guard let transcoder else { return }
        do {
            try transcoder.decode(bytes, final: final, into: &out)
            lines += Self.newlines(bytes[...])
        } catch {
            // Lines are counted on the raw bytes: LF is never part of a UTF-8 or GB18030 character.
            let fileOffset = error.byteOffset + skip
            let within = max(0, min(bytes.count, fileOffset - offset))
            let line = lines + Self.newlines(bytes[0..<within]) + 1
            let what = error.truncated ? "the feed is truncated inside a \(encoding.rawValue) character (\(error.hex))"
                                       : "invalid \(encoding.rawValue) byte sequence \(error.hex)"
            throw FeedError(kind: .encoding, file: file, line: line, reason: "\(what) at byte offset \(fileOffset) of the file; the feed is refused")
        }
    }
}
