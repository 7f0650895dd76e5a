#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams the records of a delimited text file (RFC 4180 CSV, or tab-, semicolon- or
/// bar-separated), in memory that does not grow with the file.
///
/// - Records end at LF, CRLF or a lone CR; a line break inside a quoted field belongs to the field.
///   A quote opens a quoted field only at the start of a field; `""` inside one is a quote.
/// - Encodings: UTF-8 with or without a byte-order mark, UTF-16 LE or BE with a byte-order mark,
///   GB18030 (which includes GBK and GB2312) with or without its byte-order mark. Without a mark
///   the encoding is decided at the first non-ASCII byte: UTF-8 when what follows is valid UTF-8,
///   else GB18030. An invalid byte stops the reader with ``CSVReadError`` naming its line and column;
///   nothing is ever replaced. A file with NUL bytes near its start (UTF-16 without a mark) is refused.
/// - Every record carries the line it starts on.
///
/// ```swift
/// let reader = try CSVRecordReader(path: "bank.csv")
/// while let record = try reader.next() {
///     print(record.line, record.fields)
/// }
/// ```
///
/// High-throughput callers take records as raw UTF-8 (quotes still in) with
/// ``forEachRawRecord(_:)`` and split them with ``CSVRecordReader/split(_:delimiter:)`` where they like.
public final class CSVRecordReader {
    /// Records longer than this are refused (a quote that never closes would otherwise swallow
    /// the rest of the file into one record).
    public static let maxRecordBytes = 1 << 20

    /// The encoding, once decided (after the first non-ASCII byte or the end of the file).
    public private(set) var encoding: TextEncoding?
    /// The field delimiter: given, or found on the first line (comma unless the line has more
    /// tabs, semicolons or bars outside quotes).
    public private(set) var delimiter: UInt8?
    /// Bytes read from the source so far.
    public private(set) var bytesRead = 0

    private let source: (UnsafeMutableRawBufferPointer) throws -> Int
    private var raw: [UInt8]
    private var text: [UInt8] = []           // decoded UTF-8 not yet handed out
    private var transcoder: TextTranscoder?
    private var transcoderStart = 0          // file offset of the transcoder's first byte
    private var undecided: [UInt8] = []      // raw bytes held back until the encoding is decided
    private var started = false
    private var finished = false
    private var queue: [CSVRecord] = []
    private var queueHead = 0

    // Scanner state, kept across chunks.
    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }
    private var state = State.fieldStart
    private var scan = 0                     // next byte of `text` to look at
    private var recordStart = 0
    private var recordLine = 1
    private var linesInRecord = 0

    /// Reads from `source`, which fills the buffer it is given and returns the byte count (0 at the end).
    public init(delimiter: UInt8? = nil, chunkSize: Int = 1 << 20, source: @escaping (UnsafeMutableRawBufferPointer) throws -> Int) {
        self.delimiter = delimiter
        self.source = source
        self.raw = [UInt8](repeating: 0, count: max(64, chunkSize))
    }

    /// Reads a file.
    public convenience init(path: String, delimiter: UInt8? = nil) throws(CSVReadError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw CSVReadError(line: 1, column: 1, reason: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        let handle = FileDescriptorBox(fd)
        self.init(delimiter: delimiter) { buffer in
            let n = read(handle.fd, buffer.baseAddress, buffer.count)
            if n < 0 { throw CSVReadError(line: 1, column: 1, reason: "cannot read \(path): \(String(cString: strerror(errno)))") }
            return n
        }
    }

    /// Reads bytes held in memory.
    public convenience init(bytes: [UInt8], delimiter: UInt8? = nil) {
        var offset = 0
        self.init(delimiter: delimiter, chunkSize: max(64, min(bytes.count, 1 << 20))) { buffer in
            let n = min(buffer.count, bytes.count - offset)
            bytes[offset..<(offset + n)].withUnsafeBytes { buffer.copyMemory(from: $0) }
            offset += n
            return n
        }
    }

    /// The next record split into fields, or nil at the end of the file.
    ///
    /// - throws: ``CSVReadError`` for an invalid byte, an over-long record, or a source error;
    ///   a quoted field left open or text after a closing quote (within the record) throws too.
    public func next() throws -> CSVRecord? {
        while queueHead == queue.count {
            queue.removeAll(keepingCapacity: true); queueHead = 0
            if finished { return nil }
            try pump { raw, line in
                switch Self.split(raw, delimiter: delimiter ?? 0x2C) {
                case .success(let fields): queue.append(CSVRecord(line: line, fields: fields))
                case .failure(let f): throw CSVReadError(line: line, column: 1, reason: f.reason)
                }
            }
        }
        defer { queueHead += 1 }
        return queue[queueHead]
    }

    /// Hands every remaining record to `body` as raw UTF-8 (without its line break, quotes still
    /// in) with the line it starts on, in order.
    public func forEachRawRecord(_ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) throws {
        precondition(queueHead == queue.count, "records taken with next() are still queued")
        while !finished { try pump(body) }
    }

    /// Splits one raw record into fields (RFC 4180 quoting).
    public static func split(_ record: UnsafeBufferPointer<UInt8>, delimiter: UInt8) -> Result<[String], CSVLine.Failure> {
        CSVLine.split(record, delimiter: delimiter)
    }

    // MARK: - Reading and decoding

    private func pump(_ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) throws {
        let n = try raw.withUnsafeMutableBytes { try source($0) }
        let final = n == 0
        let fileOffset = bytesRead
        bytesRead += n
        do {
            if !started {
                // A byte-order mark needs the first four bytes, however the source hands them out.
                head.append(contentsOf: raw[0..<n])
                if head.count < 4 && !final { return }
                started = true
                try detectMark(Array(head.prefix(4)))
                let held = head
                head = []
                try held.withUnsafeBufferPointer { h in try decode(h, at: 0, final: final) }
            } else {
                try raw.withUnsafeBufferPointer { r in try decode(UnsafeBufferPointer(rebasing: r[0..<n]), at: fileOffset, final: final) }
            }
        } catch let e as InvalidTextBytes {
            try scanRecords(final: false, body)
            let (line, column) = position(atEndOf: text)
            let what = e.truncated ? "the file ends inside a \(e.encoding.rawValue) character (\(e.hex))"
                                   : "invalid \(e.encoding.rawValue) byte sequence \(e.hex)"
            throw CSVReadError(line: line, column: column, byteOffset: e.byteOffset + transcoderStart,
                               reason: "\(what) at byte offset \(e.byteOffset + transcoderStart); the file is refused")
        }
        try scanRecords(final: final, body)
        if final { finished = true }
    }

    private var head: [UInt8] = []

    private func detectMark(_ head: [UInt8]) throws {
        if let bom = TextEncoding.byteOrderMark(at: head) {
            // A bare FF FE could start UTF-32 LE; files that begin so are read as UTF-16 LE.
            try start(bom)
            transcoderStart = bom.byteOrderMark.count
            skipMark = bom.byteOrderMark.count
            return
        }
        if head.count >= 2 && (head[0] == 0 || head[1] == 0) {
            throw CSVReadError(line: 1, column: 1, byteOffset: head[0] == 0 ? 0 : 1,
                               reason: "the file has NUL bytes at its start: UTF-16 without a byte-order mark? Save it as UTF-8, or UTF-16 with a byte-order mark")
        }
    }

    private var skipMark = 0

    private func start(_ e: TextEncoding) throws {
        encoding = e
        do { transcoder = try TextTranscoder(from: e) } catch {
            throw CSVReadError(line: 1, column: 1, reason: error.description)
        }
    }

    private func decode(_ input: UnsafeBufferPointer<UInt8>, at fileOffset: Int, final: Bool) throws {
        var bytes = input
        if skipMark > 0 {
            let k = min(skipMark, bytes.count)
            skipMark -= k
            bytes = UnsafeBufferPointer(rebasing: bytes[k...])
        }
        if let transcoder {
            try transcoder.decode(bytes, final: final, into: &text)
            return
        }
        // Undecided: ASCII is the same in every candidate and passes through; the first
        // non-ASCII byte and what follows it decide between UTF-8 and GB18030.
        if undecided.isEmpty {
            var i = 0
            while i < bytes.count && bytes[i] < 0x80 { i += 1 }
            text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[0..<i]))
            if i == bytes.count {
                if final { encoding = .utf8 }
                return
            }
            transcoderStart = fileOffset + (input.count - bytes.count) + i
            undecided.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i...]))
        } else {
            undecided.append(contentsOf: bytes)
        }
        if undecided.count < 64 && !final { return }
        try start(Self.looksLikeUTF8(undecided.prefix(4096), final: final) ? .utf8 : .gb18030)
        let held = undecided
        undecided = []
        try transcoder!.decode(held, final: final, into: &text)
    }

    /// UTF-8 when the sample is valid UTF-8, or when its valid UTF-8 start holds at least two
    /// multi-byte characters (GB18030 text that happens to form two UTF-8 characters in a row is
    /// rare: such a file is refused at its first invalid byte, never misread). Otherwise GB18030.
    static func looksLikeUTF8(_ sample: ArraySlice<UInt8>, final: Bool) -> Bool {
        sample.withUnsafeBufferPointer { b in
            let (valid, unfinished) = TextTranscoder.validUTF8Prefix(b)
            if valid == b.count || (unfinished && !final) { return true }
            var characters = 0
            for i in 0..<valid where b[i] >= 0xC0 { characters += 1 }
            return characters >= 2
        }
    }

    // MARK: - Records

    private func scanRecords(final: Bool, _ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) throws {
        if delimiter == nil {
            guard let d = Self.detectDelimiter(text, final: final) else { return }
            delimiter = d
        }
        let delim = delimiter!
        let quote: UInt8 = 0x22, lf: UInt8 = 0x0A, cr: UInt8 = 0x0D
        try text.withUnsafeBufferPointer { t in
            let n = t.count
            var i = scan
            var st = state
            while i < n {
                let b = t[i]
                if b == lf || b == cr {
                    if b == cr && i + 1 == n && !final { break }      // CRLF may straddle chunks
                    let len = (b == cr && i + 1 < n && t[i + 1] == lf) ? 2 : 1
                    linesInRecord += 1
                    if st == .quoted { i += len; continue }
                    try body(UnsafeBufferPointer(rebasing: t[recordStart..<i]), recordLine)
                    recordLine += linesInRecord
                    linesInRecord = 0
                    i += len
                    recordStart = i
                    st = .fieldStart
                    continue
                }
                switch st {
                case .fieldStart: st = b == quote ? .quoted : (b == delim ? .fieldStart : .unquoted)
                case .unquoted: if b == delim { st = .fieldStart }
                case .quoted: if b == quote { st = .quoteInQuoted }
                case .quoteInQuoted: st = b == quote ? .quoted : (b == delim ? .fieldStart : .unquoted)
                }
                i += 1
            }
            scan = i
            state = st
            if final && recordStart < n && scan == n {
                try body(UnsafeBufferPointer(rebasing: t[recordStart..<n]), recordLine)
                recordStart = n
            }
        }
        if scan - recordStart > Self.maxRecordBytes {
            throw CSVReadError(line: recordLine, column: 1,
                               reason: "a record longer than \(Self.maxRecordBytes >> 20) MiB starts here (a quoted field that is never closed?)")
        }
        // Drop what has been handed out.
        if recordStart > 0 && (recordStart >= text.count / 2 || final) {
            text.removeFirst(recordStart)
            scan -= recordStart
            recordStart = 0
        }
    }

    /// Line and column (1-based, in characters) just after the last byte of `text`.
    private func position(atEndOf t: [UInt8]) -> (Int, Int) {
        var line = recordLine
        var column = 1
        var i = recordStart
        while i < t.count {
            let b = t[i]
            if b == 0x0A || b == 0x0D {
                if b == 0x0D && i + 1 < t.count && t[i + 1] == 0x0A { i += 1 }
                line += 1; column = 1
            } else if b & 0xC0 != 0x80 {
                column += 1
            }
            i += 1
        }
        return (line, column)
    }

    /// Comma unless the first line has more tabs, semicolons or bars than commas outside quotes;
    /// nil while the first line is incomplete.
    static func detectDelimiter(_ t: [UInt8], final: Bool) -> UInt8? {
        guard let end = t.firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) ?? (final ? t.count : nil) else {
            return t.count > maxRecordBytes ? 0x2C : nil
        }
        var counts: [UInt8: Int] = [0x2C: 0, 0x09: 0, 0x3B: 0, 0x7C: 0]
        var quoted = false
        for b in t[0..<end] {
            if b == 0x22 { quoted.toggle() } else if !quoted, counts[b] != nil { counts[b, default: 0] += 1 }
        }
        let best = counts.max { ($0.value, $0.key == 0x2C ? 1 : 0) < ($1.value, $1.key == 0x2C ? 1 : 0) }
        if let best, best.value > 0 { return best.key }
        return 0x2C
    }
}

/// Closes a file descriptor when the reader that reads it goes.
private final class FileDescriptorBox {
    let fd: Int32
    init(_ fd: Int32) { self.fd = fd }
    deinit { close(fd) }
}
