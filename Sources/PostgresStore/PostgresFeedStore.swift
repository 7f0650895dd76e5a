import CreditRegistry
import FeedIngest
import Foundation
import PostgresNIO

/// Bureau feeds written into the PostgreSQL registry: the ``FeedStore`` behind
/// ``FeedIngestor/store`` (the ingestor reads, validates, maps and quarantines as on SQLite).
///
/// A feed is one transaction. Writers of the same bureau are serialised by a transaction-scoped
/// advisory lock on the bureau, taken before the ledger is read, so the admission check (an exact
/// re-run changes nothing; a delta must follow the bureau's last sequence) decides on what the
/// previous writer committed. Writers of different bureaus run side by side; they wait for each
/// other only on rows both change (the same subject's identity, say) until one commits.
public struct PostgresFeedStore: FeedStore {
    public let pool: PostgresSessionPool
    /// The re-evaluation of the feed's touched subjects inside its transaction (none: facts only).
    public var reevaluation: FeedReevaluation?
    /// Whose list changes a feed queues in the exchange outbox (bureau, feed id, released
    /// records), decided on its report; nil: none are queued.
    public var listChanges: (@Sendable (IngestReport) -> (bureau: String, feedID: String, released: [Int64])?)?
    /// The national list's cursor moved by the page this feed is (a pull from a peer); nil: none.
    public var cursorMove: NationalCursorMove?

    public init(pool: PostgresSessionPool, reevaluation: FeedReevaluation? = nil,
                listChanges: (@Sendable (IngestReport) -> (bureau: String, feedID: String, released: [Int64])?)? = nil) {
        self.pool = pool; self.reevaluation = reevaluation; self.listChanges = listChanges
    }

    /// The advisory-lock key of a bureau's writers ("CREDFEED" in the high bytes, the bureau's hash below).
    static func lockKey(bureau: String) -> Int64 {
        var h: UInt32 = 2_166_136_261
        for b in bureau.utf8 { h = (h ^ UInt32(b)) &* 16_777_619 }
        return Int64(bitPattern: 0x4352_4546_0000_0000 | UInt64(h))
    }

    package func ledgerState(bureau: String, feedID: String) throws -> FeedLedgerState {
        try pool.with { session in try Self.ledgerState(bureau: bureau, feedID: feedID, statements: try PipelinedStatements(session: session, inTransaction: false)) }
    }

    static func ledgerState(bureau: String, feedID: String, statements: PipelinedStatements) throws -> FeedLedgerState {
        let prior = try statements.query("""
            SELECT digest, ingested_at, records_read, records_rejected, sequence FROM feed WHERE bureau = \(bureau) AND feed_id = \(feedID)
            """, "read the feed ledger").first.map { row in
            let (digest, at, read, rejected, sequence) = try row.decode((String, String, Int, Int, Int).self)
            return FeedLedgerState.Prior(digest: digest, ingestedAt: at, recordsRead: read, recordsRejected: rejected, sequence: sequence)
        }
        let last = try statements.query("SELECT MAX(sequence) FROM feed WHERE bureau = \(bureau)", "read the bureau's last sequence")[0]
            .decode(Int?.self)
        return FeedLedgerState(prior: prior, lastSequence: last)
    }

    package func write(_ feed: StoredFeed, recordedAt: String, started: Date, report: IngestReport, rejectLimit: Int,
                       admit: @escaping @Sendable (FeedLedgerState) throws -> Void,
                       next: @escaping @Sendable () -> [Prepared]?, finish: @escaping @Sendable () throws -> String) throws -> IngestReport {
        try pool.with { session in
            try session.transaction {
                let statements = try PipelinedStatements(session: session)
                try statements.query("SELECT pg_advisory_xact_lock(\(Self.lockKey(bureau: feed.bureau)))", "wait for the bureau's writers")
                try admit(try Self.ledgerState(bureau: feed.bureau, feedID: feed.feedID, statements: statements))
                var r = report
                if feed.sequenceAfterLast {
                    r.sequence = (try Self.ledgerState(bureau: feed.bureau, feedID: feed.feedID, statements: statements).lastSequence ?? 0) + 1
                }
                let feedRow = try statements.query("""
                    INSERT INTO feed (bureau, feed_id, sequence, kind, file, digest, generated_at, ingested_at)
                    VALUES (\(feed.bureau), \(feed.feedID), \(r.sequence ?? feed.sequence), \(feed.kind), \(feed.file), \(feed.digest ?? ""),
                            \(feed.generatedAt), \(recordedAt))
                    RETURNING id
                    """, "record the feed")[0].decode(Int64.self)
                let writer = PostgresRecordWriter(statements: statements, feedRow: feedRow, bureau: feed.bureau,
                                                  recordedAt: recordedAt, rejectLimit: rejectLimit)
                while let items = next() {
                    try writer.readAhead(items)
                    for p in items { try writer.write(p, into: &r) }
                    try statements.drain()
                }
                let digest = try finish()
                if feed.digest == nil { try statements.send("UPDATE feed SET digest = \(digest) WHERE id = \(feedRow)", "record the feed's digest") }
                let released = try PostgresRecordWriter.releaseParked(statements, recordedAt: recordedAt, rejectLimit: rejectLimit)
                r.finishIngested(writer: writer, released: released, since: started)
                try statements.send("""
                    UPDATE feed SET records_read = \(r.read), records_new = \(r.new), records_changed = \(r.changed),
                        records_unchanged = \(r.unchanged), records_revoked = \(r.revoked), records_rejected = \(r.rejected),
                        seconds = \(r.seconds) WHERE id = \(feedRow)
                    """, "record the feed's counts")
                if let queued = listChanges?(r) {
                    try PostgresListChanges.enqueue(feedRow: feedRow, released: queued.released, createdAt: recordedAt, statements: statements)
                }
                if let cursorMove { try PostgresExchange.advance(cursorMove, statements: statements) }
                try reevaluation?.run(statements, report: r)
                try statements.drain()
                return r
            }
        }
    }
}
