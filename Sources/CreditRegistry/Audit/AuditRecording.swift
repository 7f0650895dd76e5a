/// Where audit entries go: the audit log's own SQLite file (``AuditLog``) or another database
/// that keeps the same keyed chain (the PostgreSQL backend's log). The use-cases write and
/// verify through this, so every backend audits the same acts the same way.
public protocol AuditRecording: Sendable {
    /// Appends `entries`, in order, in one transaction, continuing the chain.
    func append(_ entries: [AuditLog.Pending]) throws
    /// Writes a checkpoint when one is due (nil when none was written).
    @discardableResult func checkpointIfDue() throws -> AuditCheckpoint?
    /// Writes a checkpoint when entries were appended since the last one (on shutdown).
    @discardableResult func checkpointIfAppended() throws -> AuditCheckpoint?
    /// Checks every entry's MAC and link (and the checkpoints the log keeps).
    func verify() throws -> AuditVerification
    /// The latest entries, newest last, optionally about one subject.
    func entries(subject: String?, limit: Int) throws -> [AuditLog.Entry]
}

extension AuditLog: AuditRecording {}

extension AuditKey {
    /// The MAC of one audit entry under this key (the chain's rule, for logs kept elsewhere):
    /// HMAC-SHA256 over the canonical encoding of the id, content and the previous entry's MAC.
    public func entryMAC(id: Int64, at: String, actor: String, action: String, subject: String?, detail: String,
                         previous: String) -> String {
        AuditEncoding.entryMAC(id: id, at: at, actor: actor, action: action, subject: subject, detail: detail,
                               previous: previous, key: self)
    }

    /// Whether `mac` is this key's MAC of the entry (constant-time comparison).
    public func verifies(_ e: AuditLog.Entry) -> Bool {
        AuditEncoding.same(entryMAC(id: e.id, at: e.at, actor: e.actor, action: e.action, subject: e.subject, detail: e.detail,
                                    previous: e.previousMac), e.mac)
    }
}

extension AuditLog {
    /// The "previous MAC" of the first entry.
    public static var genesisMAC: String { AuditEncoding.genesis }
}

extension AuditLog.Entry {
    /// An entry as another store keeps it.
    public static func stored(id: Int64, at: String, actor: String, action: String, subject: String?, detail: String,
                              previousMac: String, mac: String) -> Self {
        Self(id: id, at: at, actor: actor, action: action, subject: subject, detail: detail, previousMac: previousMac, mac: mac)
    }
}

extension AuditVerification {
    /// The verification of a log kept by another store.
    public static func of(entries: Int, checkpoints: Int, anchored: Int64, problems: [Problem]) -> Self {
        Self(entries: entries, checkpoints: checkpoints, anchored: anchored, problems: problems)
    }
}

extension AuditVerification.Problem {
    /// A problem found in a log kept by another store.
    public static func found(_ kind: Kind, entry: Int64?, message: String) -> Self {
        Self(kind: kind, entry: entry, checkpoint: nil, message: message)
    }
}
