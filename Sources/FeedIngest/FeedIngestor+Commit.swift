import CreditRegistry
import Foundation
import GRDB

/// The feed row a transaction writes, whatever the feed's format.
package struct StoredFeed: Sendable {
    package var bureau: String
    package var feedID: String
    package var sequence: Int
    package var kind: String
    package var file: String
    package var generatedAt: String?
    /// Known up front (a list file), or nil when the reader computes it while streaming.
    package var digest: String?
    /// Roughly how many names the feed brings (decides a bulk rebuild of the name index).
    var expectedNames: Int
    /// Runs first inside the write transaction: throws ``AdmissionRefusal`` when the feed may no
    /// longer be taken (another writer took its sequence or ingested it meanwhile).
    var admit: (@Sendable (Database) throws -> Void)? = nil
    /// Take the sequence after the bureau's last one, read inside the write transaction (lists,
    /// whose sequence is the registry's, not the sender's).
    package var sequenceAfterLast = false
}

/// A feed refused, or found already ingested, by the admission check inside the write
/// transaction: nothing of it is written.
package struct AdmissionRefusal: Error {
    package var reason: String?
    /// The report of an exact re-run (outcome `.alreadyIngested`), when that is what was found.
    package var report: IngestReport?

    package init(reason: String?, report: IngestReport?) { self.reason = reason; self.report = report }
}

extension FeedIngestor {
    /// Writes one feed in one transaction: the feed row, every prepared record or reject that
    /// `next` hands over, the feed's counts, and — unless the feed touched too many subjects to
    /// list — the ``beforeCommit`` hook, so that the decisions it changes commit with it.
    ///
    /// Written batches go to `spent` when given, for the thread that made them to free.
    /// `finish` runs after the last batch and returns the feed's digest (or throws a
    /// ``FeedError`` that refuses the whole feed).
    func commit(_ feed: StoredFeed, recordedAt: String, started: Date, report: IngestReport,
                next: @escaping @Sendable () -> [Prepared]?, spent: SpentBatches? = nil,
                finish: @escaping @Sendable () throws -> String) throws -> IngestReport {
        let limit = reportedRejects
        let bulk = bulkThreshold
        let hook = beforeCommit
        let observer = onCommit
        let registry = self.registry
        // The writer streams through the feed once: memory-mapped pages would only make its
        // resident size grow with the registry, so it reads through the page cache alone.
        try registry.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA mmap_size = 0") }
        return try registry.writer.write { [report] db -> IngestReport in
            var r = report
            try feed.admit?(db)
            if feed.sequenceAfterLast {
                r.sequence = (try Int.fetchOne(db, sql: "SELECT MAX(sequence) FROM feed WHERE bureau = ?", arguments: [feed.bureau]) ?? 0) + 1
            }
            try db.execute(sql: """
                INSERT INTO feed (bureau, feed_id, sequence, kind, file, digest, generated_at, ingested_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [feed.bureau, feed.feedID, r.sequence ?? feed.sequence, feed.kind, feed.file, feed.digest ?? "",
                                 feed.generatedAt, recordedAt])
            let feedRow = db.lastInsertedRowID
            // A feed that brings many names compared with the registry rebuilds the name index
            // once at the end (same transaction) instead of updating it name by name.
            let indexedNames = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM name_index") ?? 0
            let bulkNames = feed.expectedNames > max(bulk, indexedNames / 2)
            if bulkNames {
                try NameIndex.suspendIndexing(in: db)
                try BulkIndexes.drop(in: db)
            }
            let writer = RecordWriter(registry: registry, db: db, feedRow: feedRow, bureau: feed.bureau,
                                      recordedAt: recordedAt, rejectLimit: limit)
            while let items = next() {
                for p in items { try writer.write(p, into: &r) }
                spent?.add(items)
                CrashPoint.reached("feed.batch")
            }
            let digest = try finish()
            if feed.digest == nil { try db.execute(sql: "UPDATE feed SET digest = ? WHERE id = ?", arguments: [digest, feedRow]) }
            if bulkNames {
                try BulkIndexes.create(in: db)
                try NameIndex.rebuild(in: db)
            }
            // Records parked by earlier feeds that this one made applicable.
            let released = try ParkedRecords(registry: registry).release(in: db, recordedAt: recordedAt, rejectLimit: limit)
            r.finishIngested(writer: writer, released: released, since: started)
            try db.execute(sql: """
                UPDATE feed SET records_read = ?, records_new = ?, records_changed = ?, records_unchanged = ?,
                    records_revoked = ?, records_rejected = ?, seconds = ? WHERE id = ?
                """, arguments: [r.read, r.new, r.changed, r.unchanged, r.revoked, r.rejected, r.seconds, feedRow])
            // After the records are written, in the same transaction: derived results that must
            // commit with the feed (rule decisions through `beforeCommit`) go here.
            CrashPoint.reached("feed.before-commit")
            if let observer { try observer(db, r) }
            if let hook, !r.touchedAll { try hook(db, r) }
            return r
        }
    }
}
