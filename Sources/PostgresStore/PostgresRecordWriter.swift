import CreditRegistry
import FeedIngest
import PostgresNIO

/// Writes the prepared records of one feed into PostgreSQL inside the feed's transaction, as
/// the SQLite registry's record writer does: appends the history, keeps the head of each bureau
/// key, applies the derived state (``PostgresDerivedFacts``), parks what cannot be applied yet
/// and quarantines rejects with their line.
final class PostgresRecordWriter: FeedRecordApplying {
    let statements: PipelinedStatements
    let feedRow: Int64
    let bureau: String
    let recordedAt: String
    let rejectLimit: Int
    /// Subjects whose facts changed (see ``TouchedSubjects``).
    private(set) var touchedSubjects = TouchedSubjects()
    var touched: Set<String> { touchedSubjects.codes }
    var touchedAll: Bool { touchedSubjects.all }
    /// Ids of the records appended to the history, in order.
    private(set) var appended: [Int64] = []
    /// Heads of this bureau's keys read ahead for the current batch (`.some(nil)`: no head yet),
    /// kept as this writer moves them; only the feed's own writer keeps them (its bureau's lock
    /// makes it the only writer of those heads).
    private var heads: [String: (hash: String, revoked: Bool)?] = [:]
    /// Subjects known to exist (read ahead for the current batch): a record's identity need not
    /// be introduced for them. Subjects are never removed by a feed, so the set cannot go stale.
    private var knownSubjects = Set<String>()
    /// Ids drawn ahead from the history's sequence for the current batch, used in order: the
    /// history insert then needs no round trip (an id left over is a gap, as after a rollback).
    private var ids: ArraySlice<Int64> = []

    init(statements: PipelinedStatements, feedRow: Int64, bureau: String, recordedAt: String, rejectLimit: Int) {
        self.statements = statements; self.feedRow = feedRow; self.bureau = bureau
        self.recordedAt = recordedAt; self.rejectLimit = rejectLimit
    }

    /// Reads ahead, in two queries, the heads and subjects a batch will ask about one by one.
    func readAhead(_ batch: [Prepared]) throws {
        var keys: [String] = [], codes: [String] = []
        for case .record(let rec) in batch {
            keys.append(rec.key)
            if let identity = rec.identity, identity.source != .list { codes.append(identity.code) }
        }
        heads = [:]
        for key in keys { heads[key] = .some(nil) }
        for row in try statements.query("""
            SELECT bureau_key, content_hash, revoked FROM record_head WHERE bureau = \(bureau) AND bureau_key = ANY(\(keys))
            """, "read record heads ahead") {
            let (key, hash, revoked) = try row.decode((String, String, Int64).self)
            heads[key] = .some((hash, revoked != 0))
        }
        ids = ArraySlice(try statements.query("""
            SELECT nextval(pg_get_serial_sequence('record', 'id')) FROM generate_series(1, \(keys.count))
            """, "draw record ids").map { try $0.decode(Int64.self) })
        knownSubjects = []
        for row in try statements.query("SELECT code FROM subject WHERE code = ANY(\(Array(Set(codes))))", "read subjects ahead") {
            knownSubjects.insert(try row.decode(String.self))
        }
    }

    func write(_ p: Prepared, into r: inout IngestReport) throws {
        r.read += 1
        switch p {
        case .rejected(let reject): try quarantine(reject, into: &r)
        case .record(let rec): try apply(rec, into: &r)
        }
    }

    /// Unchanged when the bureau key already holds the same content; parked when what it needs
    /// has not arrived; otherwise appended, its subject introduced if unknown, and applied.
    func apply(_ rec: PreparedRecord, into r: inout IngestReport) throws {
        var head: (hash: String, revoked: Bool)?
        if let ahead = heads[rec.key] {
            head = ahead
        } else if let row = try statements.query("""
            SELECT content_hash, revoked FROM record_head WHERE bureau = \(bureau) AND bureau_key = \(rec.key)
            """, "read a record head").first {
            let (hash, revoked) = try row.decode((String, Int64).self)
            head = (hash, revoked != 0)
        }
        let isRevoke = rec.operation == .revoke
        if let head, head.hash == rec.hash, head.revoked == isRevoke {
            r.unchanged += 1
            return
        }
        let wait: ParkCondition? = isRevoke && head == nil ? .record(bureau: bureau, key: rec.key) : rec.waitsFor
        if let wait, !(try Self.holds(wait, statements)) {
            if let source = rec.source {
                try park(rec, waitingFor: wait, source: source, into: &r)
            } else {
                try quarantine(.init(line: rec.line, key: rec.key, field: nil, reason: wait.reason), into: &r)
            }
            return
        }
        let id = try ids.popFirst() ?? statements.query("SELECT nextval(pg_get_serial_sequence('record', 'id'))", "draw a record id")[0]
            .decode(Int64.self)
        statements.rows.appendRecord(id: id, subject: rec.subject, kind: rec.kind, bureau: bureau, key: rec.key,
                                     operation: rec.operation.rawValue, feed: feedRow, line: rec.line,
                                     documentNumber: rec.documentNumber, effectiveFrom: rec.effectiveFrom?.description,
                                     recordedAt: recordedAt, hash: rec.hash, payload: rec.payload)
        appended.append(id)
        let facts = PostgresDerivedFacts(statements: statements)
        if let identity = rec.identity, identity.source == .list || !knownSubjects.contains(identity.code) {
            // A list names its subject authoritatively enough to rename it; other records only
            // introduce a subject the registry does not know yet.
            try facts.introduce(code: identity.code, kind: identity.kind, name: identity.name, source: identity.source,
                                recordID: id, onlyIfAbsent: identity.source != .list)
        }
        let revoked: Int64 = isRevoke ? 1 : 0
        if head == nil {
            statements.rows.insertHead(bureau: bureau, key: rec.key, id: id, hash: rec.hash, revoked: revoked)
        } else {
            statements.rows.moveHead(bureau: bureau, key: rec.key, id: id, hash: rec.hash, revoked: revoked)
        }
        try statements.drainIfFull()
        if heads[rec.key] != nil { heads[rec.key] = .some((rec.hash, isRevoke)) }
        touch(try rec.apply(facts, id))
        touch([rec.subject])
        if isRevoke { r.revoked += 1 } else if head == nil { r.new += 1 } else { r.changed += 1 }
    }

    /// Adds subjects to the touched set.
    func touch(_ codes: some Sequence<String>) { touchedSubjects.add(codes) }

    private func park(_ rec: PreparedRecord, waitingFor wait: ParkCondition, source: ParkedItem, into r: inout IngestReport) throws {
        r.parked += 1
        let stored = wait.stored
        try statements.send("DELETE FROM parked WHERE bureau = \(bureau) AND bureau_key = \(rec.key)", "replace a parked record")
        try statements.send("""
            INSERT INTO parked (feed, line, bureau, bureau_key, subject_code, waits_for, wait_key, reason, item, parked_at)
            VALUES (\(feedRow), \(rec.line), \(bureau), \(rec.key), \(rec.subject), \(stored.kind), \(stored.key), \(wait.reason),
                    \(try ParkedItem.encode(source)), \(recordedAt))
            """, "park a record")
    }

    func quarantine(_ reject: IngestReport.Reject, into r: inout IngestReport) throws {
        r.rejected += 1
        if r.rejects.count < rejectLimit { r.rejects.append(reject) }
        statements.rows.reject(feed: feedRow, line: reject.line, key: reject.key, field: reject.field, reason: reject.reason)
        try statements.drainIfFull()
    }

    /// Whether a park condition holds now (the same tests as on SQLite).
    static func holds(_ wait: ParkCondition, _ statements: PipelinedStatements) throws -> Bool {
        let query: PostgresQuery
        switch wait {
        case .record(let bureau, let key):
            query = "SELECT EXISTS(SELECT 1 FROM record_head WHERE bureau = \(bureau) AND bureau_key = \(key))"
        case .entry(let key):
            query = "SELECT EXISTS(SELECT 1 FROM list_entry WHERE entry_key = \(key))"
        case .listing(let subject, let list, let day):
            query = """
                SELECT EXISTS(SELECT 1 FROM list_entry WHERE subject_code = \(subject) AND list = \(list)
                    AND entered_on COLLATE "C" <= \(day.description))
                """
        }
        return try statements.query(query, "test what a record waits for")[0].decode(Bool.self)
    }

    /// Applies every parked record whose condition now holds, repeating until none does, each
    /// with the feed and bureau it came in (as ``ParkedRecords`` does on SQLite).
    static func releaseParked(_ statements: PipelinedStatements, recordedAt: String, rejectLimit: Int) throws -> ReleasedRecords {
        var out = ReleasedRecords()
        while true {
            var progressed = false
            let rows = try statements.query("SELECT id, feed, bureau, waits_for, wait_key, item FROM parked ORDER BY feed, line, id",
                                            "read parked records")
            for row in rows {
                let (rowID, feed, bureau, waitsFor, waitKey, itemText) = try row.decode((Int64, Int64, String, String, String, String).self)
                guard let wait = ParkCondition(stored: waitsFor, key: waitKey) else {
                    throw StoredValueError(table: "parked", column: "wait_key", row: "\(rowID)", value: waitKey)
                }
                guard try holds(wait, statements) else { continue }
                let item: ParkedItem
                do { item = try ParkedItem.decode(itemText) } catch {
                    throw StoredValueError(table: "parked", column: "item", row: "\(rowID)", value: nil)
                }
                try statements.send("DELETE FROM parked WHERE id = \(rowID)", "release a parked record")
                let writer = PostgresRecordWriter(statements: statements, feedRow: feed, bureau: bureau, recordedAt: recordedAt,
                                                  rejectLimit: rejectLimit)
                if try out.apply(item, with: writer) { progressed = true }
            }
            if !progressed { break }
        }
        return out
    }
}
