import CreditRegistry
import Foundation
import GRDB

/// Where a feed's rows are written when not into the SQLite registry: the store behind
/// ``FeedIngestor/store``. The ingestor reads, validates, maps and quarantines as always and
/// hands the store the outcome in batches; the store writes the whole feed in one transaction,
/// serialised with the other writers of the same bureau, after the admission check `admit` has
/// passed on what its ledger holds inside that transaction.
package protocol FeedStore: Sendable {
    /// What the ledger holds about feed `feedID` of `bureau` now (the early admission check).
    func ledgerState(bureau: String, feedID: String) throws -> FeedLedgerState

    /// Writes one feed in one transaction: its ledger row, every prepared record or reject that
    /// `next` hands over (nil at the end), the records parked earlier that it makes applicable,
    /// and its counts; `finish` runs after the last batch and returns the feed's digest or throws
    /// (refusing the whole feed). `admit` throws ``AdmissionRefusal`` to write nothing.
    func write(_ feed: StoredFeed, recordedAt: String, started: Date, report: IngestReport, rejectLimit: Int,
               admit: @escaping @Sendable (FeedLedgerState) throws -> Void,
               next: @escaping @Sendable () -> [Prepared]?, finish: @escaping @Sendable () throws -> String) throws -> IngestReport
}

/// What the feed ledger holds that decides whether a feed may be ingested: the feed itself when
/// it was ingested before, and the bureau's last sequence.
package struct FeedLedgerState: Sendable {
    package struct Prior: Sendable {
        package var digest: String
        package var ingestedAt: String
        package var recordsRead: Int
        package var recordsRejected: Int
        /// The feed's place in its bureau's sequence (nil when the reader did not ask).
        package var sequence: Int?
        package init(digest: String, ingestedAt: String, recordsRead: Int, recordsRejected: Int, sequence: Int? = nil) {
            self.digest = digest; self.ingestedAt = ingestedAt; self.recordsRead = recordsRead; self.recordsRejected = recordsRejected
            self.sequence = sequence
        }
    }

    package var prior: Prior?
    package var lastSequence: Int?

    package init(prior: Prior?, lastSequence: Int?) { self.prior = prior; self.lastSequence = lastSequence }

    /// The state in the SQLite registry `db`.
    static func read(bureau: String, feedID: String, in db: Database) throws -> FeedLedgerState {
        let prior = try Row.fetchOne(db, sql: "SELECT digest, ingested_at, records_read, records_rejected FROM feed WHERE bureau = ? AND feed_id = ?",
                                     arguments: [bureau, feedID]).map { row in
            Prior(digest: row[0], ingestedAt: row[1], recordsRead: row[2], recordsRejected: row[3])
        }
        let last = try Int.fetchOne(db, sql: "SELECT MAX(sequence) FROM feed WHERE bureau = ?", arguments: [bureau])
        return FeedLedgerState(prior: prior, lastSequence: last)
    }
}
