import Foundation
import GRDB

/// Moves the entries of the registry's former `audit` table (an unkeyed SHA-256 chain inside the
/// registry database) into the audit log's own file, once.
///
/// The old chain is verified as the entries are copied; the copies keep their time, actor,
/// action, subject and detail and are keyed into the new chain, followed by one `audit.import`
/// entry that records how many entries were moved, whether the old chain was intact (or where
/// it broke) and its head hash, so the move itself is in the keyed log. The copy and the
/// `legacy_import` mark commit in one transaction of the audit database; the old table is then
/// dropped from the registry (retried on the next open if the registry is busy).
enum LegacyAuditImport {
    /// Moves the former entries (`pageSize` read and written at a time) unless already moved,
    /// then drops the former table.
    static func run(from registry: Registry, into log: AuditLog, pageSize: Int = 10_000) throws {
        guard try registry.read({ db in try db.tableExists("audit") }) else { return }
        let done = try log.writer.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM audit_meta WHERE name = 'legacy_import'")
        } != nil
        if !done {
            let moved = try log.writer.write { db -> Int in
                // Read in pages, so a long former log never sits in memory whole.
                var chain = LegacyChain()
                var count = 0
                var after: Int64 = 0
                while true {
                    let from = after
                    let page = try registry.read { old in
                        try Row.fetchAll(old, sql: """
                            SELECT id, at, actor, action, subject, detail, previous_hash, hash FROM audit WHERE id > ? ORDER BY id LIMIT ?
                            """, arguments: [from, pageSize]).map(LegacyRow.init(row:))
                    }
                    guard let last = page.last else { break }
                    var batch: [(AuditLog.Pending, at: String)] = []
                    batch.reserveCapacity(page.count)
                    for row in page {
                        chain.check(id: row.id, at: row.at, row.entry, previousHash: row.previousHash, hash: row.hash)
                        batch.append((row.entry, row.at))
                    }
                    try log.insert(batch, in: db)
                    count += page.count
                    after = last.id
                }
                if count > 0 {
                    let summary = "moved \(count) entries from the registry database; former chain \(chain.verdict), head \(chain.head)"
                    try log.insert([(AuditLog.Pending(actor: "system", action: "audit.import", subject: nil, detail: summary),
                                     ISO8601DateFormatter().string(from: Date()))], in: db)
                }
                try db.execute(sql: "INSERT INTO audit_meta (name, value) VALUES ('legacy_import', ?)",
                               arguments: ["\(count) entries, former chain \(chain.verdict), head \(chain.head)"])
                return count
            }
            if moved > 0 { try log.checkpoint() }
        }
        do {
            try registry.write { db in
                try db.execute(sql: """
                    DROP TRIGGER IF EXISTS audit_no_update;
                    DROP TRIGGER IF EXISTS audit_no_delete;
                    DROP TABLE audit;
                    """)
            }
        } catch let e as DatabaseError where e.resultCode == .SQLITE_BUSY {
            // The entries are in the new log and marked moved; the empty shell goes next time.
        }
    }

    /// One row of the former table.
    struct LegacyRow: Sendable {
        var id: Int64, at: String, entry: AuditLog.Pending, previousHash: String, hash: String
        init(row: Row) {
            id = row["id"]; at = row["at"]; previousHash = row["previous_hash"]; hash = row["hash"]
            entry = AuditLog.Pending(actor: row["actor"], action: row["action"], subject: row["subject"], detail: row["detail"])
        }
    }

    /// The former chain: SHA-256 over the fields joined by 0x1F, a NULL subject as empty.
    struct LegacyChain: Sendable {
        var head = String(repeating: "0", count: 64)
        var brokenAt: Int64?

        mutating func check(id: Int64, at: String, _ e: AuditLog.Pending, previousHash: String, hash: String) {
            var bytes: [UInt8] = []
            for part in [head, at, e.actor, e.action, e.subject ?? "", e.detail] {
                bytes.append(contentsOf: part.utf8)
                bytes.append(0x1F)
            }
            if brokenAt == nil && (previousHash != head || Digest.sha256Hex(bytes) != hash) { brokenAt = id }
            head = hash
        }

        var verdict: String { brokenAt.map { "broken at entry \($0)" } ?? "intact" }
    }
}
