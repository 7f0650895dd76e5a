import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The secret that keys the audit log: 32 random bytes, kept in a file of its own (64 hex
/// digits and a newline) outside the database, readable and writable by its owner only.
///
/// Whoever can write the database but cannot read this file cannot forge an entry or a
/// checkpoint. The file is created on first use (mode 0600, written whole before it appears
/// under its name, so a second process never reads half a key); a file that group or others
/// may read or write is refused.
///
/// ```swift
/// let key = try AuditKey.load(path: "credit.audit.key", create: true)
/// ```
// SymmetricKey is immutable once made; swift-crypto does not mark it Sendable.
public struct AuditKey: @unchecked Sendable {
    let key: SymmetricKey
    /// An HMAC-SHA256 keyed with `key` and fed nothing: entries' MACs continue a copy of it
    /// (the hash state is copied on write), so the key schedule runs once, not per entry.
    let keyed: HMAC<SHA256>

    init(_ key: SymmetricKey) {
        self.key = key
        keyed = HMAC<SHA256>(key: key)
    }

    /// A fresh random key that lives in memory only (in-memory registries, tests).
    public static func ephemeral() -> AuditKey { AuditKey(SymmetricKey(size: .bits256)) }

    /// Reads the key at `path`; when the file is missing and `create` is true, creates it.
    public static func load(path: String, create: Bool) throws -> AuditKey {
        if !FileManager.default.fileExists(atPath: path) {
            guard create else { throw AuditError.keyMissing(path: path) }
            try Self.create(path: path)
        }
        var info = stat()
        guard stat(path, &info) == 0 else { throw AuditError.keyUnreadable(path: path, reason: String(cString: strerror(errno))) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw AuditError.keyUnreadable(path: path, reason: "not a regular file") }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else { throw AuditError.keyExposed(path: path, mode: mode) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AuditError.keyUnreadable(path: path, reason: "cannot be read")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let bytes = Self.bytes(hex: text), bytes.count == 32 else {
            throw AuditError.keyUnreadable(path: path, reason: "not 64 hexadecimal digits")
        }
        return AuditKey(SymmetricKey(data: bytes))
    }

    /// Writes a new random key to a temporary file (0600) and links it into place; when another
    /// process created the key first, its key is kept.
    static func create(path: String) throws {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        let text = Array((Digest.hex(bytes) + "\n").utf8)
        let temporary = path + ".\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw AuditError.keyUnreadable(path: path, reason: "cannot create: \(String(cString: strerror(errno)))") }
        defer { unlink(temporary) }
        let written = text.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        close(fd)
        guard written == text.count, synced == 0 else { throw AuditError.keyUnreadable(path: path, reason: "cannot write the new key") }
        if link(temporary, path) != 0 && errno != EEXIST {
            throw AuditError.keyUnreadable(path: path, reason: "cannot create: \(String(cString: strerror(errno)))")
        }
    }

    private static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: c - 0x30
            case 0x61...0x66: c - 0x61 + 10
            case 0x41...0x46: c - 0x41 + 10
            default: nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2)
        var i = 0
        while i < digits.count {
            guard let hi = value(digits[i]), let lo = value(digits[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }
}
