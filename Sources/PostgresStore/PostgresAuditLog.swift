import CreditRegistry
import Foundation
import PostgresNIO

/// The audit log in the registry's PostgreSQL database, with the same keyed chain as
/// ``AuditLog``: entry `n` carries the HMAC-SHA256 (under the key file every server is given)
/// of its id, content and entry `n-1`'s MAC, so that an edit, a deletion or a reordering breaks
/// the chain from that entry on.
///
/// Several servers append to one log: each append takes a transaction-scoped advisory lock,
/// reads the head and continues it, so the chain stays one line whoever writes. Signed
/// checkpoints (``AuditCheckpoint``, kept in a file beside SQLite's log) are not kept for this
/// log yet: ``checkpointIfDue()`` writes none, and ``verify()`` checks the chain alone.
public struct PostgresAuditLog: AuditRecording {
    public let pool: PostgresSessionPool
    let key: AuditKey
    /// The advisory lock that orders appends to the chain.
    static let lockKey: Int64 = 0x4352_4544_4155_4449  // "CREDAUDI"

    public init(pool: PostgresSessionPool, key: AuditKey) {
        self.pool = pool; self.key = key
    }

    public func append(_ entries: [AuditLog.Pending]) throws {
        guard !entries.isEmpty else { return }
        let at = ISO8601DateFormatter().string(from: Date())
        try pool.with { session in
            try session.transaction {
                try session.query("SELECT pg_advisory_xact_lock(\(Self.lockKey))", "wait for the audit lock")
                let head = try session.query("SELECT id, mac FROM audit ORDER BY id DESC LIMIT 1", "read the audit head").first
                var id: Int64 = 0
                var previous = AuditLog.genesisMAC
                if let head { (id, previous) = try head.decode((Int64, String).self) }
                var binds = PostgresBindings(capacity: entries.count * 8)
                var values: [String] = []
                for e in entries {
                    id += 1
                    let mac = key.entryMAC(id: id, at: at, actor: e.actor, action: e.action, subject: e.subject, detail: e.detail, previous: previous)
                    let n = binds.count
                    values.append("(" + (1...8).map { "$\(n + $0)" }.joined(separator: ", ") + ")")
                    binds.append(id); binds.append(at); binds.append(e.actor); binds.append(e.action)
                    binds.append(e.subject); binds.append(e.detail); binds.append(previous); binds.append(mac)
                    previous = mac
                }
                try session.query(PostgresQuery(unsafeSQL: """
                    INSERT INTO audit (id, at, actor, action, subject, detail, previous_mac, mac) VALUES \(values.joined(separator: ", "))
                    """, binds: binds), "append \(entries.count) audit entries")
            }
        }
    }

    @discardableResult public func checkpointIfDue() throws -> AuditCheckpoint? { nil }
    @discardableResult public func checkpointIfAppended() throws -> AuditCheckpoint? { nil }

    public func verify() throws -> AuditVerification {
        struct Walk: Sendable {
            var count = 0
            var lastID: Int64 = 0
            var previous = AuditLog.genesisMAC
            var problems: [AuditVerification.Problem] = []
        }
        let walk = LockedBox(Walk())
        let key = self.key
        try pool.with { session in
            try session.forEachRow("SELECT id, at, actor, action, subject, detail, previous_mac, mac FROM audit ORDER BY id", "read the audit log") { row in
                let (id, at, actor, action, subject, detail, previousMac, mac) = try row.decode((Int64, String, String, String, String?, String, String, String).self)
                let e = AuditLog.Entry.stored(id: id, at: at, actor: actor, action: action, subject: subject, detail: detail, previousMac: previousMac, mac: mac)
                walk.withValue { w in
                    w.count += 1
                    func report(_ kind: AuditVerification.Problem.Kind, _ message: String) {
                        if w.problems.count < 10 { w.problems.append(.found(kind, entry: id, message: message)) }
                    }
                    if id != w.lastID + 1 { report(.entryOutOfSequence, "entry \(id) follows entry \(w.lastID): entries were deleted or renumbered") }
                    if previousMac != w.previous { report(.entryUnlinked, "entry \(id) does not link to the entry before it") }
                    if !key.verifies(e) { report(.entryAltered, "entry \(id) does not match its MAC: it was edited, or written without the key") }
                    w.lastID = id
                    w.previous = mac
                }
            }
        }
        let w = walk.value
        return AuditVerification.of(entries: w.count, checkpoints: 0, anchored: 0, problems: w.problems)
    }

    public func entries(subject: String?, limit: Int) throws -> [AuditLog.Entry] {
        try pool.with { session in
            try session.query("""
                SELECT * FROM (SELECT id, at, actor, action, subject, detail, previous_mac, mac FROM audit
                               WHERE (\(subject)::text IS NULL OR subject = \(subject)) ORDER BY id DESC LIMIT \(limit)) x ORDER BY id
                """, "read audit entries").map { row in
                let (id, at, actor, action, subject, detail, previousMac, mac) = try row.decode((Int64, String, String, String, String?, String, String, String).self)
                return AuditLog.Entry.stored(id: id, at: at, actor: actor, action: action, subject: subject, detail: detail, previousMac: previousMac, mac: mac)
            }
        }
    }
}
