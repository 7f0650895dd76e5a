import PostgresNIO

/// The history rows, head moves, quarantined records and fact upserts (``FactUpserts``) a feed
/// writes between two reads, kept
/// column by column and sent as one `INSERT … SELECT … FROM unnest($1, $2, …)` (or `UPDATE … FROM
/// unnest(…)`) per table: the server parses and plans each of them once for the whole batch, where
/// a statement per row would be parsed and planned row by row.
///
/// They go ahead of the other statements of the block (``PipelinedStatements``), which is safe
/// because no statement of a block reads what they write except through ids the block itself
/// wrote before: the history is append-only with ids drawn ahead, a head is inserted once (later
/// records of its key move it), the quarantine is append-only, and penalties, licences and tax
/// grades are read by no statement of a block (a tax grade's removal is sent on its own, after
/// what was kept before it and before anything kept after it). Reads (probes, the parked
/// records' conditions) always send the batch first.
struct FeedRowBatch {
    private var recordIDs: [Int64] = [], subjects: [String] = [], kinds: [String] = [], bureaus: [String] = []
    private var keys: [String] = [], operations: [String] = [], feeds: [Int64] = [], lines: [Int64] = []
    private var documents: [String] = [], noDocument: [Bool] = [], effective: [String] = [], noEffective: [Bool] = []
    private var recordedAt: [String] = [], hashes: [String] = [], payloads: [String] = []

    /// New heads (bureau, key) in order; a key is inserted at most once between reads.
    private var newHeads = HeadRows()
    /// Moves of existing heads, the last move of a key winning (as the statements in order would).
    private var movedHeads = HeadRows()
    private var movedIndex: [HeadKey: Int] = [:]

    private var rejectFeeds: [Int64] = [], rejectLines: [Int64] = [], rejectKeys: [String] = [], noRejectKey: [Bool] = []
    private var rejectFields: [String] = [], noRejectField: [Bool] = [], rejectReasons: [String] = []

    /// Penalties, licences and tax grades, one statement per table.
    var penalties = FactUpserts.penalties, licences = FactUpserts.licences, taxGrades = FactUpserts.taxGrades

    private var rowCount = 0
    /// Rows kept (bounds the batch with ``PipelinedStatements``'s window).
    var count: Int { rowCount + penalties.count + licences.count + taxGrades.count }
    var isEmpty: Bool { count == 0 }

    private struct HeadKey: Hashable { var bureau: String; var key: String }
    private struct HeadRows {
        var bureaus: [String] = [], keys: [String] = [], ids: [Int64] = [], hashes: [String] = [], revoked: [Int64] = []
        mutating func append(bureau: String, key: String, id: Int64, hash: String, revoked: Int64) {
            bureaus.append(bureau); keys.append(key); ids.append(id); hashes.append(hash); self.revoked.append(revoked)
        }
        var isEmpty: Bool { ids.isEmpty }
    }

    /// One row of the history (`effective_to` is never set by a feed).
    mutating func appendRecord(id: Int64, subject: String, kind: String, bureau: String, key: String, operation: String,
                               feed: Int64, line: Int, documentNumber: String?, effectiveFrom: String?, recordedAt at: String,
                               hash: String, payload: String) {
        recordIDs.append(id); subjects.append(subject); kinds.append(kind); bureaus.append(bureau); keys.append(key)
        operations.append(operation); feeds.append(feed); lines.append(Int64(line))
        documents.append(documentNumber ?? ""); noDocument.append(documentNumber == nil)
        effective.append(effectiveFrom ?? ""); noEffective.append(effectiveFrom == nil)
        recordedAt.append(at); hashes.append(hash); payloads.append(payload)
        rowCount += 1
    }

    /// The head of a key with no head yet.
    mutating func insertHead(bureau: String, key: String, id: Int64, hash: String, revoked: Int64) {
        newHeads.append(bureau: bureau, key: key, id: id, hash: hash, revoked: revoked)
        rowCount += 1
    }

    /// The head of a key moved to a later record.
    mutating func moveHead(bureau: String, key: String, id: Int64, hash: String, revoked: Int64) {
        let k = HeadKey(bureau: bureau, key: key)
        if let i = movedIndex[k] {
            movedHeads.ids[i] = id; movedHeads.hashes[i] = hash; movedHeads.revoked[i] = revoked
        } else {
            movedIndex[k] = movedHeads.ids.count
            movedHeads.append(bureau: bureau, key: key, id: id, hash: hash, revoked: revoked)
        }
        rowCount += 1
    }

    /// A quarantined record with its line and reason.
    mutating func reject(feed: Int64, line: Int, key: String?, field: String?, reason: String) {
        rejectFeeds.append(feed); rejectLines.append(Int64(line))
        rejectKeys.append(key ?? ""); noRejectKey.append(key == nil)
        rejectFields.append(field ?? ""); noRejectField.append(field == nil)
        rejectReasons.append(reason)
        rowCount += 1
    }

    /// Sends what is kept, one statement per table (history first: heads point at it), and empties the batch.
    mutating func send(_ session: PostgresSession) throws {
        guard !isEmpty else { return }
        if !recordIDs.isEmpty {
            try session.query("""
                INSERT INTO record (id, subject_code, kind, bureau, bureau_key, operation, feed_id, line, document_number,
                    effective_from, effective_to, recorded_at, content_hash, payload)
                SELECT id, subject_code, kind, bureau, bureau_key, operation, feed_id, line,
                    CASE WHEN no_document THEN NULL ELSE document_number END,
                    CASE WHEN no_effective THEN NULL ELSE effective_from END, NULL, recorded_at, content_hash, payload
                FROM unnest(\(recordIDs)::int8[], \(subjects)::text[], \(kinds)::text[], \(bureaus)::text[], \(keys)::text[],
                    \(operations)::text[], \(feeds)::int8[], \(lines)::int8[], \(documents)::text[], \(noDocument)::bool[],
                    \(effective)::text[], \(noEffective)::bool[], \(recordedAt)::text[], \(hashes)::text[], \(payloads)::text[])
                    AS r(id, subject_code, kind, bureau, bureau_key, operation, feed_id, line, document_number, no_document,
                         effective_from, no_effective, recorded_at, content_hash, payload)
                """, "append the feed's records")
        }
        if !newHeads.isEmpty {
            try session.query("""
                INSERT INTO record_head (record_id, content_hash, revoked, bureau, bureau_key)
                SELECT * FROM unnest(\(newHeads.ids)::int8[], \(newHeads.hashes)::text[], \(newHeads.revoked)::int8[],
                    \(newHeads.bureaus)::text[], \(newHeads.keys)::text[])
                """, "record heads")
        }
        if !movedHeads.isEmpty {
            try session.query("""
                UPDATE record_head h SET record_id = m.record_id, content_hash = m.content_hash, revoked = m.revoked
                FROM unnest(\(movedHeads.ids)::int8[], \(movedHeads.hashes)::text[], \(movedHeads.revoked)::int8[],
                    \(movedHeads.bureaus)::text[], \(movedHeads.keys)::text[]) AS m(record_id, content_hash, revoked, bureau, bureau_key)
                WHERE h.bureau = m.bureau AND h.bureau_key = m.bureau_key
                """, "move heads")
        }
        if !rejectFeeds.isEmpty {
            try session.query("""
                INSERT INTO reject (feed, line, bureau_key, field, reason)
                SELECT feed, line, CASE WHEN no_key THEN NULL ELSE bureau_key END, CASE WHEN no_field THEN NULL ELSE field END, reason
                FROM unnest(\(rejectFeeds)::int8[], \(rejectLines)::int8[], \(rejectKeys)::text[], \(noRejectKey)::bool[],
                    \(rejectFields)::text[], \(noRejectField)::bool[], \(rejectReasons)::text[]) WITH ORDINALITY
                    AS q(feed, line, bureau_key, no_key, field, no_field, reason, n)
                ORDER BY n
                """, "quarantine records")
        }
        try penalties.send(session)
        try licences.send(session)
        try taxGrades.send(session)
        self = FeedRowBatch()
    }
}
