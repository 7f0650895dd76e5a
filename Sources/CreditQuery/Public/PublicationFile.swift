import CreditRegistry
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file of the publication being written: buffered, counted, and hashed (SHA-256 of the
/// bytes on disk) as it goes; CSV files may be transcoded to GB18030 line by line.
final class PublicationFile {
    let path: String
    private let handle: UnsafeMutablePointer<FILE>
    private var buffer: [UInt8] = []
    private var digest = Digest.Streaming()
    private let transcoder: GB18030Transcoder?
    private(set) var bytes = 0
    /// Data rows written (header lines not counted).
    var records = 0

    init(path: String, gb18030: Bool = false) throws {
        guard let h = fopen(path, "wb") else { throw PublicationError.io(path: path, reason: String(cString: strerror(errno))) }
        self.path = path
        handle = h
        transcoder = gb18030 ? try GB18030Transcoder() : nil
        buffer.reserveCapacity(1 << 20)
    }

    deinit { fclose(handle) }

    /// Appends UTF-8 text (a whole line: transcoding works on complete characters).
    func write(_ utf8: [UInt8]) throws {
        if let transcoder { buffer.append(contentsOf: try transcoder.convert(utf8, path: path)) } else { buffer.append(contentsOf: utf8) }
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Appends bytes as they are (a byte-order mark).
    func writeRaw(_ raw: [UInt8]) throws {
        buffer.append(contentsOf: raw)
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        let written = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
        guard written == buffer.count else { throw PublicationError.io(path: path, reason: String(cString: strerror(errno))) }
        buffer.withUnsafeBytes { digest.update($0) }
        bytes += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes to disk and returns the SHA-256 of the whole file.
    func finish() throws -> String {
        try flush()
        guard fflush(handle) == 0, fsync(fileno(handle)) == 0 else { throw PublicationError.io(path: path, reason: String(cString: strerror(errno))) }
        return digest.finalizeHex()
    }
}

/// UTF-8 → GB18030 through iconv (GB18030 covers all of Unicode, so every name converts).
final class GB18030Transcoder {
    private let cd: iconv_t

    init() throws {
        let cd = iconv_open("GB18030", "UTF-8")
        guard let cd, cd != iconv_t(bitPattern: -1) else { throw PublicationError.io(path: "iconv", reason: "GB18030 is not available") }
        self.cd = cd
    }

    deinit { iconv_close(cd) }

    func convert(_ input: [UInt8], path: String) throws -> [UInt8] {
        var source = input
        var output = [UInt8](repeating: 0, count: input.count * 2 + 8)
        let produced = try source.withUnsafeMutableBytes { inRaw -> Int in
            try output.withUnsafeMutableBytes { outRaw -> Int in
                var inPtr = inRaw.baseAddress?.assumingMemoryBound(to: CChar.self)
                var inLeft = inRaw.count
                var outPtr = outRaw.baseAddress?.assumingMemoryBound(to: CChar.self)
                var outLeft = outRaw.count
                if iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) == -1 {
                    throw PublicationError.io(path: path, reason: "text not convertible to GB18030: \(String(cString: strerror(errno)))")
                }
                return outRaw.count - outLeft
            }
        }
        return Array(output.prefix(produced))
    }
}

/// Reads a file line by line (without the line end), for the previous publication.
final class PublicationLineReader {
    let path: String
    private let handle: UnsafeMutablePointer<FILE>
    private var line: UnsafeMutablePointer<CChar>?
    private var capacity = 0
    private(set) var lineNumber = 0

    init(path: String) throws {
        guard let h = fopen(path, "rb") else { throw PublicationError.io(path: path, reason: String(cString: strerror(errno))) }
        self.path = path
        handle = h
    }

    deinit { free(line); fclose(handle) }

    func next() -> String? {
        let n = getline(&line, &capacity, handle)
        guard n >= 0, let line else { return nil }
        lineNumber += 1
        var length = n
        while length > 0 && (line[length - 1] == 10 || line[length - 1] == 13) { length -= 1 }
        return line.withMemoryRebound(to: UInt8.self, capacity: length) { String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self) }
    }
}
