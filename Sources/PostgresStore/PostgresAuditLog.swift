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
/// checkpoints (``AuditCheckpoint``) of the count and head are kept in the `audit_checkpoint`
/// table, written under the same lock every ``AuditLog/CheckpointPolicy`` entries or seconds
/// and when a process closes the log; ``verify()`` checks them as SQLite's verifier checks its
/// checkpoint file (``AuditCheckpointCheck``).
public struct PostgresAuditLog: AuditRecording {
    public let pool: PostgresSessionPool
    let key: AuditKey
    /// The advisory lock that orders appends to the chain.
    static let lockKey: Int64 = 0x4352_4544_4155_4449  // "CREDAUDI"

    public let policy: AuditLog.CheckpointPolicy
    /// Entries this process appended since its last checkpoint, and when that was.
    private let pace = LockedBox<(sinceCheckpoint: Int, lastCheckpoint: Date)>((0, Date()))

    public init(pool: PostgresSessionPool, key: AuditKey, policy: AuditLog.CheckpointPolicy = .init()) {
        self.pool = pool; self.key = key; self.policy = policy
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
        pace.withValue { $0.sinceCheckpoint += entries.count }
    }

    @discardableResult public func checkpointIfDue() throws -> AuditCheckpoint? {
        let due = pace.withValue { p in
            p.sinceCheckpoint > 0
                && (p.sinceCheckpoint >= policy.everyEntries || Date().timeIntervalSince(p.lastCheckpoint) >= policy.everySeconds)
        }
        return due ? try checkpoint() : nil
    }

    @discardableResult public func checkpointIfAppended() throws -> AuditCheckpoint? {
        pace.value.sinceCheckpoint > 0 ? try checkpoint() : nil
    }

    /// Signs a checkpoint of the log's count and head, unless the last one vouches for them
    /// already; under the append lock, so the head cannot move meanwhile and the checkpoints of
    /// every server stay in order. Refuses to chain onto a checkpoint the key did not sign, or to
    /// sign a log that does not extend the last checkpoint (that would bless a rewrite).
    @discardableResult
    public func checkpoint() throws -> AuditCheckpoint? {
        let key = self.key
        let made = try pool.with { session -> AuditCheckpoint? in
            try session.transaction {
                try session.query("SELECT pg_advisory_xact_lock(\(Self.lockKey))", "wait for the audit lock")
                let head = try session.query("SELECT id, mac FROM audit ORDER BY id DESC LIMIT 1", "read the audit head").first
                let (count, mac): (Int64, String) = try head?.decode((Int64, String).self) ?? (Int64(0), AuditLog.genesisMAC)
                let last = try Self.checkpoints(session, last: true).last
                if let last, last.count == count, last.head == mac { return nil }
                if let last, !key.signed(last) { throw AuditError.unsignedCheckpoint(number: last.number) }
                if let last, last.count > 0 {
                    let then = try session.query("SELECT mac FROM audit WHERE id = \(last.count)", "read a checkpoint's head").first?.decode(String.self)
                    guard count >= last.count, then == last.head else { throw AuditError.doesNotExtendCheckpoint(number: last.number) }
                }
                let c = key.checkpoint(count: count, head: mac, after: last, at: ISO8601DateFormatter().string(from: Date()))
                try session.query("""
                    INSERT INTO audit_checkpoint (number, count, head, at, previous, signature)
                    VALUES (\(c.number), \(c.count), \(c.head), \(c.at), \(c.previous), \(c.signature))
                    """, "write an audit checkpoint")
                return c
            }
        }
        pace.withValue { $0 = (0, Date()) }
        return made
    }

    /// The stored checkpoints by number (only the last one when `last`).
    static func checkpoints(_ session: PostgresSession, last: Bool = false) throws -> [AuditCheckpoint] {
        let rows = try session.query(last
            ? "SELECT number, count, head, at, previous, signature FROM audit_checkpoint ORDER BY number DESC LIMIT 1"
            : "SELECT number, count, head, at, previous, signature FROM audit_checkpoint ORDER BY number", "read the audit checkpoints")
        return try rows.map { row in
            let (number, count, head, at, previous, signature) = try row.decode((Int64, Int64, String, String, String, String).self)
            return AuditCheckpoint.stored(number: number, count: count, head: head, at: at, previous: previous, signature: signature)
        }
    }

    public func verify() throws -> AuditVerification {
        var check = AuditCheckpointCheck(key: key)
        let walk = LockedBox((entries: AuditEntryCheck(key: key), macs: [Int64: String]()))
        try pool.with { session in
            try session.transaction {
                try session.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", "start a read snapshot")
                for c in try Self.checkpoints(session) { check.add(c, place: "stored") }
                let wanted = check.wanted
                try session.forEachRow("SELECT id, at, actor, action, subject, detail, previous_mac, mac FROM audit ORDER BY id", "read the audit log") { row in
                    let (id, at, actor, action, subject, detail, previousMac, mac) = try row.decode((Int64, String, String, String, String?, String, String, String).self)
                    let e = AuditLog.Entry.stored(id: id, at: at, actor: actor, action: action, subject: subject, detail: detail, previousMac: previousMac, mac: mac)
                    walk.withValue { w in
                        w.entries.add(e)
                        if wanted.contains(id) { w.macs[id] = mac }
                    }
                }
            }
        }
        let w = walk.value
        return w.entries.verification(checkpoints: check, macs: w.macs)
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
