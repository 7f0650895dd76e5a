import CreditRegistry
import Foundation
import GRDB

/// Imports a national list file — the court's dishonest judgment debtors as the national
/// platform distributes them — as list entries with provenance.
///
/// The file is CSV with the header `code,name,ground,case_number,court,listed_on,exited_on`.
/// Each row is keyed by its case number, so a re-sent row is recognised; the whole file is one
/// transaction; a bad row is quarantined with its line and field; importing the same file
/// twice changes nothing.
public struct NationalListImport: Sendable {
    public let registry: Registry
    public init(registry: Registry) { self.registry = registry }

    static let header = ["code", "name", "ground", "case_number", "court", "listed_on", "exited_on"]

    /// Imports `path`; returns the same report shape as a bureau feed.
    public func importDishonestDebtors(path: String) throws -> IngestReport {
        let started = Date()
        var report = IngestReport(file: path, outcome: .refused)
        report.bureau = "national"; report.kind = "full"
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            report.reason = "\(path): cannot read the file as UTF-8"
            return report
        }
        let digest = Digest.sha256Hex(data)
        let feedID = "NATIONAL-DISHONEST-" + digest.prefix(16)
        report.feedID = feedID
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        if lines.last == "" { lines.removeLast() }
        guard let first = lines.first, first.split(separator: ",").map(String.init) == Self.header else {
            report.reason = "\(path):1: header must be \(Self.header.joined(separator: ","))"
            return report
        }
        let recordedAt = ISO8601DateFormatter().string(from: started)
        let rows = lines
        report = try registry.write { [report] db -> IngestReport in
            var r = report
            if let prior = try Row.fetchOne(db, sql: "SELECT records_read, records_rejected, sequence FROM feed WHERE bureau = 'national' AND feed_id = ?", arguments: [feedID]) {
                r.sequence = prior[2]
                r.outcome = .alreadyIngested
                r.read = prior[0]; r.rejected = prior[1]; r.unchanged = r.read - r.rejected
                return r
            }
            let seq = (try Int.fetchOne(db, sql: "SELECT MAX(sequence) FROM feed WHERE bureau = 'national'") ?? 0) + 1
            try db.execute(sql: """
                INSERT INTO feed (bureau, feed_id, sequence, kind, file, digest, ingested_at) VALUES ('national', ?, ?, 'full', ?, ?, ?)
                """, arguments: [feedID, seq, (path as NSString).lastPathComponent, digest, recordedAt])
            let feedRow = db.lastInsertedRowID
            r.sequence = seq
            for (i, line) in rows.enumerated().dropFirst() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
                r.read += 1
                do {
                    try importRow(line, lineNumber: i + 1, feedRow: feedRow, recordedAt: recordedAt, db: db, report: &r)
                } catch let rejection as Rejection {
                    r.rejected += 1
                    let reject = IngestReport.Reject(line: i + 1, key: rejection.key, field: rejection.field, reason: rejection.reason)
                    if r.rejects.count < 50 { r.rejects.append(reject) }
                    try db.execute(sql: "INSERT INTO reject (feed, line, bureau_key, field, reason) VALUES (?, ?, ?, ?, ?)",
                                   arguments: [feedRow, reject.line, reject.key, reject.field, reject.reason])
                }
            }
            r.outcome = .ingested
            try db.execute(sql: """
                UPDATE feed SET records_read = ?, records_new = ?, records_changed = ?, records_unchanged = ?, records_rejected = ? WHERE id = ?
                """, arguments: [r.read, r.new, r.changed, r.unchanged, r.rejected, feedRow])
            return r
        }
        report.seconds = Date().timeIntervalSince(started)
        return report
    }

    struct Rejection: Error { var key: String?; var field: String; var reason: String }

    private func importRow(_ line: String, lineNumber: Int, feedRow: Int64, recordedAt: String, db: Database, report r: inout IngestReport) throws {
        let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingCharacters(in: .whitespaces) }
        guard cells.count == Self.header.count else {
            throw Rejection(key: nil, field: "row", reason: "expected \(Self.header.count) columns, found \(cells.count)")
        }
        let key = cells[3]
        guard !key.isEmpty else { throw Rejection(key: nil, field: "case_number", reason: "missing case number") }
        let code: String
        do { code = try SubjectCode.parse(cells[0]).key } catch { throw Rejection(key: key, field: "code", reason: "\(error)") }
        guard ["1", "2", "3", "4", "5", "6"].contains(cells[2]) else {
            throw Rejection(key: key, field: "ground", reason: "ground must be 1–6 (法释〔2017〕7号 art. 1), got '\(cells[2])'")
        }
        let listed: Day
        do { listed = try Day(cells[5]) } catch { throw Rejection(key: key, field: "listed_on", reason: error.description) }
        var exited: Day?
        if !cells[6].isEmpty {
            do { exited = try Day(cells[6]) } catch { throw Rejection(key: key, field: "exited_on", reason: error.description) }
            if let e = exited, e <= listed { throw Rejection(key: key, field: "exited_on", reason: "exit \(e) is not after listing \(listed)") }
        }
        guard try registry.subject(code: code, in: db) != nil else {
            throw Rejection(key: key, field: "code", reason: "unknown subject \(code): not registered")
        }
        let payload = "{\"code\":\"\(code)\",\"ground\":\"\(cells[2])\",\"case_number\":\"\(key)\",\"court\":\"\(cells[4])\",\"listed_on\":\"\(listed)\",\"exited_on\":\"\(exited?.description ?? "")\"}"
        let hash = Digest.sha256Hex(payload.utf8)
        let head = try String.fetchOne(db, sql: "SELECT content_hash FROM record_head WHERE bureau = 'national' AND bureau_key = ?", arguments: [key])
        if head == hash { r.unchanged += 1; return }
        let id = try registry.append(NewRecord(subjectCode: code, kind: "dishonest_debtor", provenance: Provenance(bureau: "national", bureauKey: key, feed: feedRow, line: lineNumber, documentNumber: key),
                                               effectiveFrom: listed, contentHash: hash, payload: payload), recordedAt: recordedAt, in: db)
        try db.execute(sql: """
            INSERT INTO record_head (bureau, bureau_key, record_id, content_hash) VALUES ('national', ?, ?, ?)
            ON CONFLICT(bureau, bureau_key) DO UPDATE SET record_id = excluded.record_id, content_hash = excluded.content_hash
            """, arguments: [key, id, hash])
        let entryKey = "national:\(key)"
        try registry.putListEntry(subject: code, list: KnownList.dishonestDebtor, enteredOn: listed, ground: cells[2], reason: "失信被执行人（第\(cells[2])项）",
                                  authority: cells[4], entryKey: entryKey, recordID: id, in: db)
        if let exited { try registry.exitList(subject: code, list: KnownList.dishonestDebtor, entryKey: entryKey, on: exited, recordID: id, in: db) }
        if head == nil { r.new += 1 } else { r.changed += 1 }
        r.touchedSubjects.append(code)
    }
}
