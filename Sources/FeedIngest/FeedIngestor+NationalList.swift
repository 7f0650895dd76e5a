import CreditRegistry
import Foundation
import GRDB

extension FeedIngestor {
    /// Imports a national list file that the exchange adapter parsed: the same provenance,
    /// quarantine, idempotence (the file's digest names the feed), revocation handling and
    /// in-transaction re-evaluation as a bureau feed, into the SQLite registry or the ``store``
    /// (PostgreSQL). Refused lists store nothing.
    public func ingest(nationalList list: NationalListFile) throws -> IngestReport {
        let started = Date()
        var report = IngestReport(file: list.file, outcome: .refused)
        let bureau = NationalListMapper.bureau
        report.bureau = bureau; report.kind = FeedKind.full.rawValue; report.feedID = list.feedID
        let feedID = list.feedID
        let (prior, sequence): ((read: Int, rejected: Int, sequence: Int)?, Int)
        if let store {
            let state = try store.ledgerState(bureau: bureau, feedID: feedID)
            prior = state.prior.map { (read: $0.recordsRead, rejected: $0.recordsRejected, sequence: $0.sequence ?? 0) }
            sequence = (state.lastSequence ?? 0) + 1
        } else {
            (prior, sequence) = try registry.read { db -> ((read: Int, rejected: Int, sequence: Int)?, Int) in
                let prior = try Row.fetchOne(db, sql: "SELECT records_read, records_rejected, sequence FROM feed WHERE bureau = ? AND feed_id = ?",
                                             arguments: [bureau, feedID]).map { (read: $0[0] as Int, rejected: $0[1] as Int, sequence: $0[2] as Int) }
                let last = try Int.fetchOne(db, sql: "SELECT MAX(sequence) FROM feed WHERE bureau = ?", arguments: [bureau]) ?? 0
                return (prior, last + 1)
            }
        }
        if let prior {
            report.outcome = .alreadyIngested
            report.sequence = prior.sequence
            report.read = prior.read; report.rejected = prior.rejected; report.unchanged = report.read - report.rejected
            report.seconds = Date().timeIntervalSince(started)
            return report
        }
        report.sequence = sequence
        let mapper = NationalListMapper()
        let prepared: [Prepared] = list.rows.map { row in
            switch row {
            case .failure(let reject): return .rejected(reject)
            case .success(let row):
                do { return .record(try mapper.prepare(row)) } catch let r as RecordRejection {
                    return .rejected(IngestReport.Reject(line: row.line, key: row.caseNumber.isEmpty ? nil : row.caseNumber, field: r.field, reason: r.reason))
                } catch {
                    return .rejected(IngestReport.Reject(line: row.line, key: nil, field: nil, reason: "\(error)"))
                }
            }
        }
        let batches = LockedBox<[[Prepared]]>([prepared])
        var stored = StoredFeed(bureau: bureau, feedID: feedID, sequence: sequence, kind: FeedKind.full.rawValue,
                                file: (list.file as NSString).lastPathComponent, generatedAt: nil, digest: list.digest,
                                expectedNames: 0)
        // Inside the write transaction: the same list imported meanwhile by another writer is a
        // re-run; another list imported meanwhile moves this one's sequence on.
        stored.admit = { [report] db in
            if let prior = try Row.fetchOne(db, sql: "SELECT records_read, records_rejected, sequence FROM feed WHERE bureau = ? AND feed_id = ?",
                                            arguments: [bureau, feedID]) {
                var r = report
                r.outcome = .alreadyIngested
                r.sequence = prior[2]; r.read = prior[0]; r.rejected = prior[1]; r.unchanged = r.read - r.rejected
                throw AdmissionRefusal(reason: nil, report: r)
            }
        }
        stored.sequenceAfterLast = true
        let digest = list.digest
        let recordedAt = ISO8601DateFormatter().string(from: started)
        do {
            if let store {
                report = try store.write(stored, recordedAt: recordedAt, started: started, report: report, rejectLimit: reportedRejects,
                                         admit: { [report] state in
                                             guard let prior = state.prior else { return }
                                             var r = report
                                             r.outcome = .alreadyIngested
                                             r.sequence = prior.sequence; r.read = prior.recordsRead; r.rejected = prior.recordsRejected
                                             r.unchanged = r.read - r.rejected
                                             throw AdmissionRefusal(reason: nil, report: r)
                                         },
                                         next: { batches.withValue { $0.popLast() } }, finish: { digest })
            } else {
                report = try commit(stored, recordedAt: recordedAt, started: started, report: report,
                                    next: { batches.withValue { $0.popLast() } }, finish: { digest })
            }
        } catch let e as AdmissionRefusal {
            if let prior = e.report { report = prior } else { report.reason = e.reason }
        }
        report.seconds = Date().timeIntervalSince(started)
        return report
    }
}
