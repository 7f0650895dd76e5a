import CreditRegistry
import GRDB

/// Writes prepared records of one feed inside the feed's transaction: appends the history,
/// maintains the head of each bureau key, applies derived state, quarantines rejects.
final class RecordWriter: FeedRecordApplying {
    let registry: Registry
    let db: Database
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
    /// The registry's write statements, prepared once for the feed's transaction.
    private let statements: RegistryStatements
    private let facts: SQLiteDerivedFacts
    private var heads: HeadStatements?
    /// The bureau keys this feed gave a head, by hash, while the bureau had no head before the
    /// feed (a first load): a key whose hash is not here has no head, so it needs no probe.
    /// Nil once the bureau is known to have older heads, or past ``freshKeysLimit`` keys.
    private var freshKeys: Set<Int>?
    private static let freshKeysLimit = 4_000_000

    /// The statements on `record_head`, prepared on the first record.
    private struct HeadStatements {
        let probe: Statement
        let insert: Statement
        let update: Statement

        init(_ db: Database) throws {
            probe = try db.makeStatement(sql: "SELECT content_hash, revoked FROM record_head WHERE bureau = ? AND bureau_key = ?")
            insert = try db.makeStatement(sql: "INSERT INTO record_head (record_id, content_hash, revoked, bureau, bureau_key) VALUES (?, ?, ?, ?, ?)")
            update = try db.makeStatement(sql: "UPDATE record_head SET record_id = ?, content_hash = ?, revoked = ? WHERE bureau = ? AND bureau_key = ?")
        }
    }

    init(registry: Registry, db: Database, feedRow: Int64, bureau: String, recordedAt: String, rejectLimit: Int) {
        self.registry = registry; self.db = db; self.feedRow = feedRow; self.bureau = bureau
        self.recordedAt = recordedAt; self.rejectLimit = rejectLimit
        statements = RegistryStatements(db: db)
        facts = SQLiteDerivedFacts(registry: registry, db: db, statements: statements)
    }

    func write(_ p: Prepared, into r: inout IngestReport) throws {
        r.read += 1
        switch p {
        case .rejected(let reject):
            try quarantine(reject, into: &r)
        case .record(let rec):
            try apply(rec, into: &r)
        }
    }

    /// Writes one record: unchanged when its bureau key already holds the same content; parked
    /// when what it needs has not arrived; otherwise appended to the history, its subject
    /// introduced if the registry does not know it, and applied to the derived state.
    func apply(_ rec: PreparedRecord, into r: inout IngestReport) throws {
        let heads = try self.heads ?? startFeed()
        var head: (hash: String, revoked: Bool)?
        let keyHash = rec.key.hashValue
        if freshKeys?.contains(keyHash) ?? true {
            let probe = heads.probe
            probe.bind(1, bureau); probe.bind(2, rec.key)
            if try probe.step(db) {
                head = (probe.text(at: 0) ?? "", probe.int64(at: 1) != 0)
                probe.finish()
            }
        }
        let isRevoke = rec.operation == .revoke
        if let head, head.hash == rec.hash, head.revoked == isRevoke {
            r.unchanged += 1
            return
        }
        let wait: ParkCondition? = isRevoke && head == nil ? .record(bureau: bureau, key: rec.key) : rec.waitsFor
        if let wait, !(try wait.holds(in: db)) {
            if let source = rec.source {
                try park(rec, waitingFor: wait, source: source, into: &r)
            } else {
                try quarantine(.init(line: rec.line, key: rec.key, field: nil, reason: wait.reason), into: &r)
            }
            return
        }
        let id = try registry.append(NewRecord(subjectCode: rec.subject, kind: rec.kind, operation: rec.operation.rawValue,
                                               provenance: Provenance(bureau: bureau, bureauKey: rec.key, feed: feedRow, line: rec.line,
                                                                     documentNumber: rec.documentNumber),
                                               effectiveFrom: rec.effectiveFrom, contentHash: rec.hash, payload: rec.payload),
                                     recordedAt: recordedAt, in: db, statements: statements)
        appended.append(id)
        if let identity = rec.identity {
            // A list names its subject authoritatively enough to rename it; other records only
            // introduce a subject the registry does not know yet.
            try registry.introduce(code: identity.code, kind: identity.kind, name: identity.name, source: identity.source,
                                   recordID: id, onlyIfAbsent: identity.source != .list, in: db, statements: statements)
        }
        // A new key is a plain insert; a known one is updated in place (no conflict probe).
        let putHead = head == nil ? heads.insert : heads.update
        putHead.bind(1, id); putHead.bind(2, rec.hash); putHead.bind(3, isRevoke); putHead.bind(4, bureau); putHead.bind(5, rec.key)
        try putHead.run(db)
        if head == nil, freshKeys != nil {
            freshKeys?.insert(keyHash)
            if (freshKeys?.count ?? 0) > Self.freshKeysLimit { freshKeys = nil }
        }
        let changed = try rec.apply(facts, id)
        touch(changed)
        touch([rec.subject])
        if isRevoke { r.revoked += 1 } else if head == nil { r.new += 1 } else { r.changed += 1 }
    }

    /// Prepares for the first record: the head statements, and whether the bureau had heads and
    /// the registry had subjects before the feed (a first load's keys and codes need no probe).
    private func startFeed() throws -> HeadStatements {
        let heads = try HeadStatements(db)
        self.heads = heads
        let known = try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM record_head WHERE bureau = ?)", arguments: [bureau]) ?? true
        freshKeys = known ? nil : []
        if !(try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM subject)") ?? true) { statements.expectNewSubjects() }
        return heads
    }

    /// Adds subjects to the touched set.
    func touch(_ codes: some Sequence<String>) { touchedSubjects.add(codes) }

    /// Keeps a record that cannot be applied yet, with its provenance and what it waits for; a
    /// later record with the same bureau key replaces it.
    private func park(_ rec: PreparedRecord, waitingFor wait: ParkCondition, source: ParkedItem, into r: inout IngestReport) throws {
        r.parked += 1
        let stored = wait.stored
        try db.cachedStatement(sql: "DELETE FROM parked WHERE bureau = ? AND bureau_key = ?").execute(arguments: [bureau, rec.key])
        try db.cachedStatement(sql: """
            INSERT INTO parked (feed, line, bureau, bureau_key, subject_code, waits_for, wait_key, reason, item, parked_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [feedRow, rec.line, bureau, rec.key, rec.subject, stored.kind, stored.key, wait.reason,
                                     try ParkedItem.encode(source), recordedAt])
    }

    func quarantine(_ reject: IngestReport.Reject, into r: inout IngestReport) throws {
        r.rejected += 1
        if r.rejects.count < rejectLimit { r.rejects.append(reject) }
        try db.cachedStatement(sql: "INSERT INTO reject (feed, line, bureau_key, field, reason) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [feedRow, reject.line, reject.key, reject.field, reject.reason])
    }
}
