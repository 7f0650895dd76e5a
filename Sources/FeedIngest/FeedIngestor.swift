import CreditRegistry
import Foundation
import GRDB

/// Ingests bureau XML feeds into the registry.
///
/// A feed is atomic: it is written in one transaction, so a crash at any moment leaves the
/// registry as before the feed and a re-run finishes it exactly. Parsing and validation run
/// on one thread while the writer runs on another, handing over bounded batches.
/// Re-sending a feed (same bureau, feed id and content) changes nothing; a record whose
/// bureau key is known with the same content is counted unchanged; a delta out of sequence
/// is refused.
///
/// ```swift
/// let report = try FeedIngestor(registry: registry).ingest(path: "samples/feeds/commerce-0001-full.xml")
/// print(report.new, report.rejected)
/// ```
public struct FeedIngestor: Sendable {
    public let registry: Registry
    /// Accept USCCs issued before the standard settled whose check character is wrong (with a warning).
    public var acceptLegacyChecksum = false
    /// How many records a hand-over batch holds.
    public var batchSize = 2_000
    /// How many rejects the report lists (all are stored).
    public var reportedRejects = 50
    /// A feed estimated to hold more records than this (and more than half the names already
    /// indexed) is ingested in bulk mode: the name index and the secondary indexes the ingest
    /// never reads are rebuilt once at its end instead of row by row.
    public var bulkThreshold = 20_000
    /// Runs inside the feed's transaction after its records are written, with the report so far
    /// (not called when the feed touched too many subjects to list): the place to bring derived
    /// results such as rule decisions up to date atomically with the feed.
    public var beforeCommit: (@Sendable (Database, IngestReport) throws -> Void)?
    /// Runs inside every ingesting transaction after its records are written, whatever the
    /// feed's size: observers of the changes a feed made (the exchange outbox) commit with it.
    public var onCommit: (@Sendable (Database, IngestReport) throws -> Void)?

    /// Where "today" comes from (a revocation that names no day takes effect on it).
    public var clock: DayClock = .system

    /// Where the feed's rows go when not into ``registry`` (the PostgreSQL store): the parsing,
    /// validation, quarantine and admission rules are the same whichever store writes.
    package var store: (any FeedStore)?

    public init(registry: Registry) { self.registry = registry }

    /// Progress of a running ingest.
    public struct Progress: Sendable {
        public var bytesRead: Int
        public var fileSize: Int
        public var records: Int
    }

    /// Ingests one feed. A feed that cannot be read, or is refused as a whole, yields a report
    /// with outcome `.refused` and its reason; nothing of it is stored.
    public func ingest(path: String, progress: (@Sendable (Progress) -> Void)? = nil) throws -> IngestReport {
        let started = Date()
        var report = IngestReport(file: path, outcome: .refused)
        let reader: FeedReader
        do { reader = try FeedReader(path: path) } catch {
            report.reason = error.description
            return report
        }
        let header = reader.header
        report.bureau = header.bureau.rawValue; report.feedID = header.feedID
        report.sequence = header.sequence; report.kind = header.kind.rawValue

        if let refusal = try admission(header: header, path: path, report: &report) {
            report.reason = refusal
            report.seconds = Date().timeIntervalSince(started)
            return report
        }
        if report.outcome == .alreadyIngested {
            report.seconds = Date().timeIntervalSince(started)
            return report
        }

        let queue = BoundedQueue<[Prepared]>(capacity: 8)
        let parseFailure = LockedBox<FeedError?>(nil)
        let streamedDigest = LockedBox<String?>(nil)
        let spent = SpentBatches()
        let mapper = FeedRecordMapper(header: header, acceptLegacyChecksum: acceptLegacyChecksum, today: clock.today())
        let batch = batchSize
        let fileSize = reader.fileSize
        // The reader moves to the parsing thread and is used only there from now on.
        let owned = Handover(reader)
        let thread = Thread {
            let reader = owned.value
            var buffer: [Prepared] = []
            buffer.reserveCapacity(batch)
            var count = 0
            var scratch = CanonicalScratch()
            do {
                while let event = try reader.next() {
                    switch event {
                    case .item(let item):
                        do { buffer.append(.record(try mapper.prepare(item, scratch: &scratch))) } catch let r as RecordRejection {
                            buffer.append(.rejected(IngestReport.Reject(line: item.line, key: item.key, field: r.field, reason: r.reason)))
                        } catch {
                            buffer.append(.rejected(IngestReport.Reject(line: item.line, key: item.key, field: nil, reason: "\(error)")))
                        }
                    case .invalid(let issue):
                        buffer.append(.rejected(IngestReport.Reject(line: issue.line, key: issue.key, field: issue.field, reason: issue.reason)))
                    }
                    count += 1
                    if buffer.count >= batch {
                        progress?(Progress(bytesRead: reader.bytesRead, fileSize: reader.fileSize, records: count))
                        guard queue.put(buffer) else { return }
                        buffer.removeAll(keepingCapacity: true)
                        spent.free()
                    }
                }
                streamedDigest.value = reader.digest
                if !buffer.isEmpty { _ = queue.put(buffer) }
                progress?(Progress(bytesRead: reader.fileSize, fileSize: reader.fileSize, records: count))
            } catch let e as FeedError {
                parseFailure.value = e
            } catch {
                parseFailure.value = FeedError(kind: .io, file: path, line: nil, reason: "\(error)")
            }
            queue.close()
        }
        thread.stackSize = 8 << 20
        thread.start()

        let recordedAt = ISO8601DateFormatter().string(from: started)
        var stored = StoredFeed(bureau: header.bureau.rawValue, feedID: header.feedID, sequence: header.sequence,
                                kind: header.kind.rawValue, file: (path as NSString).lastPathComponent,
                                generatedAt: header.generatedAt, digest: nil, expectedNames: fileSize / 700)
        // Decided again inside the write transaction: another writer may have taken this
        // sequence (or this very feed) since the early check.
        let admitState: @Sendable (FeedLedgerState) throws -> Void = { [report] state in
            var r = report
            if let refusal = try Self.admit(header: header, path: path, report: &r, state: state) {
                throw AdmissionRefusal(reason: refusal, report: nil)
            }
            if r.outcome == .alreadyIngested { throw AdmissionRefusal(reason: nil, report: r) }
        }
        stored.admit = { db in try admitState(try FeedLedgerState.read(bureau: header.bureau.rawValue, feedID: header.feedID, in: db)) }
        let finish: @Sendable () throws -> String = {
            if let failure = parseFailure.value { throw failure }
            guard let digest = streamedDigest.value else {
                throw FeedError(kind: .io, file: path, line: nil, reason: "the feed was not read to its end")
            }
            return digest
        }
        do {
            if let store {
                report = try store.write(stored, recordedAt: recordedAt, started: started, report: report, rejectLimit: reportedRejects,
                                         admit: admitState, next: { queue.take() }, finish: finish)
            } else {
                report = try commit(stored, recordedAt: recordedAt, started: started, report: report, next: { queue.take() }, spent: spent,
                                    finish: finish)
            }
        } catch let e as FeedError {
            queue.close(); thread.cancel()
            report.outcome = .refused
            report.reason = e.description
        } catch let e as AdmissionRefusal {
            queue.close(); thread.cancel()
            if let prior = e.report { report = prior } else {
                report.outcome = .refused
                report.reason = e.reason
            }
        } catch let e as DatabaseError where e.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE && (e.message ?? "").contains("feed.") {
            // Another process committed the same feed after this one was admitted.
            queue.close(); thread.cancel()
            report.outcome = .refused
            report.reason = "\(path): feed \(header.bureau.rawValue)/\(header.feedID) is being ingested by another process (it committed first); nothing of this run was stored — run the command again to see it as already ingested"
        } catch {
            queue.close()
            throw error
        }
        report.seconds = Date().timeIntervalSince(started)
        return report
    }

    /// Decides whether a feed may be ingested: returns the reason for refusing it, or nil.
    /// Sets the outcome to `.alreadyIngested` for an exact re-run. This early check spares
    /// reading a feed that would be refused; the same check runs again inside the write
    /// transaction (``admit(header:path:report:state:)``), which alone decides.
    private func admission(header: FeedHeader, path: String, report: inout IngestReport) throws -> String? {
        let bureau = header.bureau.rawValue, feedID = header.feedID
        let state = try store?.ledgerState(bureau: bureau, feedID: feedID)
            ?? registry.read { db in try FeedLedgerState.read(bureau: bureau, feedID: feedID, in: db) }
        return try Self.admit(header: header, path: path, report: &report, state: state)
    }

    /// The admission check on `db`: the reason for refusing the feed, or nil; an exact re-run
    /// sets the outcome to `.alreadyIngested` (with the prior counts).
    /// The file is hashed here only when its feed id is already known (to tell a re-run from a
    /// changed feed); a new feed's digest comes from the reader as it streams.
    static func admit(header: FeedHeader, path: String, report r: inout IngestReport, state: FeedLedgerState) throws -> String? {
        if let prior = state.prior {
            guard prior.digest == (try Self.fileDigest(path)) else {
                return "feed \(header.bureau.rawValue)/\(header.feedID) was already ingested with different content (ingested \(prior.ingestedAt)); a correction must come as a new feed"
            }
            r.outcome = .alreadyIngested
            r.read = prior.recordsRead
            r.unchanged = prior.recordsRead - prior.recordsRejected
            r.rejected = prior.recordsRejected
            return nil
        }
        let last = state.lastSequence
        switch header.kind {
        case .delta:
            guard let last else {
                return "delta feed \(header.feedID) (sequence \(header.sequence)) arrived before any full snapshot of bureau \(header.bureau.rawValue)"
            }
            if header.sequence != last + 1 {
                return "delta feed \(header.feedID) is out of sequence: expected sequence \(last + 1) after \(last), got \(header.sequence)"
            }
        case .full:
            if let last, header.sequence <= last {
                return "full feed \(header.feedID) is stale: sequence \(header.sequence) is not after the last ingested sequence \(last)"
            }
        }
        return nil
    }

    /// SHA-256 of a file, streamed.
    static func fileDigest(_ path: String) throws -> String {
        guard let h = FileHandle(forReadingAtPath: path) else { throw CocoaError(.fileReadNoSuchFile) }
        defer { try? h.close() }
        var sha = Digest.Streaming()
        while let chunk = try h.read(upToCount: 1 << 20), !chunk.isEmpty { sha.update(Array(chunk)) }
        return sha.finalizeHex()
    }
}

/// Either a record to write or a quarantined one.
package enum Prepared: Sendable {
    case record(PreparedRecord)
    case rejected(IngestReport.Reject)
}
