import Foundation

/// What a feed's record writer offers beyond writing the feed's own records: SQLite's
/// ``RecordWriter`` and PostgreSQL's writer both apply, quarantine and count touched subjects,
/// so the parked records a feed releases and the report's closing counts are worked out once.
package protocol FeedRecordApplying: AnyObject {
    func apply(_ rec: PreparedRecord, into r: inout IngestReport) throws
    func quarantine(_ reject: IngestReport.Reject, into r: inout IngestReport) throws
    func touch(_ codes: some Sequence<String>)
    /// Ids of the records appended to the history, in order.
    var appended: [Int64] { get }
    var touched: Set<String> { get }
    var touchedAll: Bool { get }
}

/// The parked records a feed made applicable, as the stores release them one by one (each
/// with a writer of the feed and bureau it came in).
package struct ReleasedRecords {
    /// Records applied (not parked again).
    package var released = 0
    /// The history records they became.
    package var records: [Int64] = []
    package var touched = Set<String>()
    package var touchedAll = false

    package init() {}

    /// Applies the parked `item` with `writer`, quarantining it when it is rejected now; returns
    /// whether it was released (false: it waits again).
    package mutating func apply(_ item: ParkedItem, with writer: some FeedRecordApplying) throws -> Bool {
        var scratch = IngestReport(file: "", outcome: .ingested)
        do { try writer.apply(try item.prepare(), into: &scratch) } catch let r as RecordRejection {
            try writer.quarantine(.init(line: 0, key: nil, field: r.field, reason: r.reason), into: &scratch)
        }
        records += writer.appended
        touchedAll = touchedAll || writer.touchedAll
        touched.formUnion(writer.touched)
        guard scratch.parked == 0 else { return false }
        released += 1
        return true
    }
}

extension IngestReport {
    /// Closes the report of a feed written whole: the parked records it released and every
    /// subject it touched, its own records' and the released ones'.
    package mutating func finishIngested(writer: some FeedRecordApplying, released: ReleasedRecords, since started: Date) {
        writer.touch(released.touched)
        self.released = released.released
        releasedRecords = released.records
        touchedSubjects = writer.touched.sorted()
        touchedAll = writer.touchedAll || released.touchedAll
        outcome = .ingested
        seconds = Date().timeIntervalSince(started)
    }
}
