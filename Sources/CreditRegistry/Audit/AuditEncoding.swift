import Crypto

/// The canonical byte encoding the audit log's MACs are computed over: every field tagged and
/// length-prefixed, so that no two different entries encode alike (a NULL subject is not an
/// empty one, and no field can borrow bytes from its neighbour).
///
/// - NULL: `00`
/// - text: `01`, the UTF-8 length as 4 bytes big-endian, the bytes
/// - integer: `02`, 8 bytes big-endian (two's complement)
///
/// Each message starts with a domain string (``entryDomain``, ``checkpointDomain``) so an
/// entry's MAC can never pass for a checkpoint's signature.
struct AuditEncoding {
    static let entryDomain = "credit.audit.entry.v1"
    static let checkpointDomain = "credit.audit.checkpoint.v1"

    private(set) var bytes: [UInt8] = []

    init(domain: String) {
        bytes.reserveCapacity(256)
        append(domain)
    }

    mutating func append(_ text: String?) {
        guard let text else { bytes.append(0); return }
        bytes.append(1)
        var length = UInt32(text.utf8.count).bigEndian
        withUnsafeBytes(of: &length) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: text.utf8)
    }

    mutating func append(_ value: Int64) {
        bytes.append(2)
        var v = value.bigEndian
        withUnsafeBytes(of: &v) { bytes.append(contentsOf: $0) }
    }

    /// HMAC-SHA256 of the encoded bytes under `key`, in lower-case hex.
    func mac(_ key: SymmetricKey) -> String {
        Digest.hex(HMAC<SHA256>.authenticationCode(for: bytes, using: key))
    }

    /// HMAC-SHA256 of the encoded bytes, continuing a copy of `keyed` (an HMAC already keyed,
    /// ``AuditKey/keyed``: the key schedule is not redone per message), in lower-case hex.
    func mac(continuing keyed: HMAC<SHA256>) -> String {
        var h = keyed
        h.update(data: bytes)
        return Digest.hex(h.finalize())
    }

    /// The MAC of one entry: its position, content and the MAC of the entry before it.
    static func entryMAC(id: Int64, at: String, actor: String, action: String, subject: String?, detail: String,
                         previous: String, key: AuditKey) -> String {
        var e = AuditEncoding(domain: entryDomain)
        e.append(id); e.append(at); e.append(actor); e.append(action); e.append(subject); e.append(detail); e.append(previous)
        return e.mac(continuing: key.keyed)
    }

    /// The signature of one checkpoint: its number, the entry count and head it vouches for, its
    /// time and the signature of the checkpoint before it.
    static func checkpointSignature(number: Int64, count: Int64, head: String, at: String, previous: String, key: SymmetricKey) -> String {
        var e = AuditEncoding(domain: checkpointDomain)
        e.append(number); e.append(count); e.append(head); e.append(at); e.append(previous)
        return e.mac(key)
    }

    /// Constant-time comparison of two hex MACs.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in x.indices { diff |= x[i] ^ y[i] }
        return diff == 0
    }

    /// The `previous` of the first entry and of the first checkpoint.
    static let genesis = String(repeating: "0", count: 64)
}
