import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A signed statement that the audit log held `count` entries ending in the entry whose MAC is
/// `head`, at `at`. Checkpoints are numbered from 1 and chained (each signs the signature of the
/// one before), and stored one a line outside the database:
///
/// ```
/// v1 <number> <count> <head MAC> <at> <previous signature> <signature>
/// ```
public struct AuditCheckpoint: Sendable, Hashable, Codable {
    public var number: Int64
    /// How many entries the log held (its entries are numbered 1…count).
    public var count: Int64
    /// The MAC of entry `count` (the genesis value when `count` is 0).
    public var head: String
    public var at: String
    /// The signature of checkpoint `number - 1` (the genesis value for the first).
    public var previous: String
    public var signature: String

    /// The line stored in the checkpoint file (without its newline).
    public var line: String { "v1 \(number) \(count) \(head) \(at) \(previous) \(signature)" }

    /// Parses a stored line; nil when it is not one.
    public init?(line: Substring) {
        let f = line.split(separator: " ", omittingEmptySubsequences: false)
        guard f.count == 7, f[0] == "v1", let number = Int64(f[1]), let count = Int64(f[2]) else { return nil }
        self.init(number: number, count: count, head: String(f[3]), at: String(f[4]), previous: String(f[5]), signature: String(f[6]))
    }

    init(number: Int64, count: Int64, head: String, at: String, previous: String, signature: String) {
        self.number = number; self.count = count; self.head = head; self.at = at; self.previous = previous; self.signature = signature
    }

    /// Signs a checkpoint for `count` entries ending in `head`, following `last`.
    static func make(count: Int64, head: String, after last: AuditCheckpoint?, at: String, key: AuditKey) -> AuditCheckpoint {
        let number = (last?.number ?? 0) + 1
        let previous = last?.signature ?? AuditEncoding.genesis
        let signature = AuditEncoding.checkpointSignature(number: number, count: count, head: head, at: at, previous: previous, key: key.key)
        return AuditCheckpoint(number: number, count: count, head: head, at: at, previous: previous, signature: signature)
    }

    /// Whether the signature is the key's signature of the other fields.
    func isSigned(by key: AuditKey) -> Bool {
        AuditEncoding.same(signature, AuditEncoding.checkpointSignature(number: number, count: count, head: head, at: at,
                                                                         previous: previous, key: key.key))
    }
}

/// The append-only file of checkpoints. Lines are appended whole with one `write` (`O_APPEND`)
/// and synced; readers see whole lines.
struct AuditCheckpointFile: Sendable {
    let path: String

    /// Every line of the file, numbered from 1, parsed when it is a checkpoint. A missing file
    /// has no lines.
    func lines() throws -> [(line: Int, checkpoint: AuditCheckpoint?, text: String)] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AuditError.checkpointFile(path: path, reason: "cannot be read")
        }
        let text = String(decoding: data, as: UTF8.self)
        var out: [(Int, AuditCheckpoint?, String)] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            out.append((i + 1, AuditCheckpoint(line: line), String(line)))
        }
        return out
    }

    /// The last checkpoint of the file (read from its tail), nil when there is none.
    func last() throws -> AuditCheckpoint? {
        let fd = open(path, O_RDONLY)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw AuditError.checkpointFile(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        let size = lseek(fd, 0, SEEK_END)
        guard size > 0 else { return nil }
        let window = min(Int(size), 8192)
        var buffer = [UInt8](repeating: 0, count: window)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, window, off_t(Int(size) - window)) }
        guard n == window else { throw AuditError.checkpointFile(path: path, reason: "cannot be read") }
        let text = String(decoding: buffer, as: UTF8.self)
        for line in text.split(separator: "\n").reversed() {
            if let c = AuditCheckpoint(line: line) { return c }
        }
        return nil
    }

    /// Appends one checkpoint and syncs the file.
    func append(_ checkpoint: AuditCheckpoint) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard fd >= 0 else { throw AuditError.checkpointFile(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let bytes = Array((checkpoint.line + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else {
            throw AuditError.checkpointFile(path: path, reason: "cannot append: \(String(cString: strerror(errno)))")
        }
    }
}
