import CreditRegistry
import GRDB

/// Writes prepared records of one feed inside the feed's transaction: appends the history,
/// maintains the head of each bureau key, applies derived state, quarantines rejects.
final class RecordWriter {
    let registry: Registry
    let db: Database
    let feedRow: Int64
    let bureau: String
    let recordedAt: String
    let rejectLimit: Int
    /// Subjects whose facts changed, up to ``touchedLimit``; past it only ``touchedAll`` is kept,
    /// so memory does not grow with the feed (a feed that large is re-evaluated in full).
    private(set) var touched = Set<String>()
    private(set) var touchedAll = false
    static let touchedLimit = 100_000

    init(registry: Registry, db: Database, feedRow: Int64, bureau: String, recordedAt: String, rejectLimit: Int) {
        self.registry = registry; self.db = db; self.feedRow = feedRow; self.bureau = bureau
        self.recordedAt = recordedAt; self.rejectLimit = rejectLimit
    }

    func write(_ p: Prepared, into r: inout IngestReport) throws {
        r.read += 1
        switch p {
        case .rejected(let reject):
            try quarantine(reject, into: &r)
        case .record(let rec):
            let head = try Row.fetchOne(db.cachedStatement(sql: "SELECT content_hash, revoked FROM record_head WHERE bureau = ? AND bureau_key = ?"),
                                        arguments: [bureau, rec.key])
            let isRevoke = rec.operation == .revoke
            if let head, head["content_hash"] as String == rec.hash, (head["revoked"] as Bool) == isRevoke {
                r.unchanged += 1
                return
            }
            if isRevoke && head == nil {
                try quarantine(.init(line: rec.line, key: rec.key, field: "op",
                                     reason: "revoke of record \(rec.key), which this registry never received"), into: &r)
                return
            }
            if rec.requiresRegisteredSubject {
                let known = try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS(SELECT 1 FROM subject WHERE code = ?)"),
                                              arguments: [rec.subject]) ?? false
                if !known {
                    try quarantine(.init(line: rec.line, key: rec.key, field: "code",
                                         reason: "unknown subject \(PersonalData.masked(rec.subject)): not registered (its registration must be ingested first)"),
                                   into: &r)
                    return
                }
            }
            let id = try registry.append(NewRecord(subjectCode: rec.subject, kind: rec.kind, operation: rec.operation.rawValue,
                                                   provenance: Provenance(bureau: bureau, bureauKey: rec.key, feed: feedRow, line: rec.line,
                                                                         documentNumber: rec.documentNumber),
                                                   effectiveFrom: rec.effectiveFrom, contentHash: rec.hash, payload: rec.payload),
                                         recordedAt: recordedAt, in: db)
            try db.cachedStatement(sql: """
                INSERT INTO record_head (bureau, bureau_key, record_id, content_hash, revoked) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(bureau, bureau_key) DO UPDATE SET record_id = excluded.record_id,
                    content_hash = excluded.content_hash, revoked = excluded.revoked
                """).execute(arguments: [bureau, rec.key, id, rec.hash, isRevoke])
            let changed = try rec.apply(registry, db, id)
            if !touchedAll {
                touched.formUnion(changed)
                touched.insert(rec.subject)
                if touched.count > Self.touchedLimit { touchedAll = true; touched = [] }
            }
            if isRevoke { r.revoked += 1 } else if head == nil { r.new += 1 } else { r.changed += 1 }
        }
    }

    private func quarantine(_ reject: IngestReport.Reject, into r: inout IngestReport) throws {
        r.rejected += 1
        if r.rejects.count < rejectLimit { r.rejects.append(reject) }
        try db.cachedStatement(sql: "INSERT INTO reject (feed, line, bureau_key, field, reason) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [feedRow, reject.line, reject.key, reject.field, reject.reason])
    }
}
