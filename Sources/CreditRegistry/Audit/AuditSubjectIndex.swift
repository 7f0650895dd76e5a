import GRDB

/// The audit log's index by subject, kept in sorted runs (`audit_subject_run`, see
/// ``AuditSchema``) rather than as an index on `audit(subject)`.
///
/// Appending an entry writes only to the end of the `audit` table; the checkpoint (every
/// ``AuditLog/CheckpointPolicy`` entries or seconds, and when a process closes the log) adds the
/// entries appended since the last run as one new run, written in (subject, id) order at the
/// end of the run table. A query by subject reads every run with one index seek each and scans
/// the entries not yet in a run, so it sees every entry, indexed or not.
enum AuditSubjectIndex {
    /// The last entry id covered by a run (0: none).
    static func indexedThrough(in db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT last_id FROM audit_subject_indexed")) ?? 0
    }

    /// Adds the entries after the last run as a new run; inside the caller's write transaction.
    static func extend(in db: Database) throws {
        let through = try indexedThrough(in: db)
        let head = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM audit") ?? 0
        guard head > through else { return }
        try db.execute(sql: """
            INSERT INTO audit_subject_run (run, subject, id)
            SELECT ?1, subject, id FROM audit WHERE id > ?2 AND id <= ?1 AND subject IS NOT NULL ORDER BY subject, id
            """, arguments: [head, through])
        try db.execute(sql: "UPDATE audit_subject_indexed SET last_id = ?", arguments: [head])
    }

    /// The latest `limit` entries about `subject`, newest last: from every run (one seek each,
    /// the runs found by skipping from one to the next) and the entries after the last run.
    static func entries(subject: String, limit: Int, in db: Database) throws -> [AuditLog.Entry] {
        try AuditLog.Entry.fetchAll(db, sql: """
            WITH RECURSIVE runs(run) AS (
                SELECT MIN(run) FROM audit_subject_run
                UNION ALL
                SELECT (SELECT MIN(run) FROM audit_subject_run WHERE run > runs.run) FROM runs WHERE runs.run IS NOT NULL
            ),
            ids(id) AS (
                SELECT r.id FROM runs JOIN audit_subject_run r ON r.run = runs.run AND r.subject = ?1
                UNION ALL
                SELECT id FROM audit WHERE id > ?3 AND subject = ?1
            )
            SELECT * FROM audit WHERE id IN (SELECT id FROM ids ORDER BY id DESC LIMIT ?2) ORDER BY id
            """, arguments: [subject, limit, try indexedThrough(in: db)])
    }
}
