import GRDB

/// The schema of the audit log's own database, as named, append-only migrations.
enum AuditSchema {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-audit") { db in
            try db.execute(sql: """
                -- One row per audited act; ids run 1, 2, 3… with no gap. `mac` is the HMAC-SHA256 of
                -- the canonical encoding of (id, at, actor, action, subject, detail, previous_mac).
                CREATE TABLE audit (
                    id INTEGER PRIMARY KEY,
                    at TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    subject TEXT,
                    detail TEXT NOT NULL,
                    previous_mac TEXT NOT NULL,
                    mac TEXT NOT NULL
                );
                CREATE INDEX audit_subject ON audit(subject);
                CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                -- Facts about the log itself (e.g. that the registry's former audit table was moved here).
                CREATE TABLE audit_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
                """)
        }
        m.registerMigration("v2-audit-subject-runs") { db in
            try db.execute(sql: """
                -- The subject index of the log, written in sorted runs by the checkpoint instead of
                -- row by row as entries are appended: random subjects made every appended entry
                -- dirty a page of an index on audit(subject) of its own. A run holds (subject, id)
                -- of the entries after the previous run up to `run` (the last id it covers);
                -- `audit_subject_indexed.last_id` is the last id covered by any run. Both tables
                -- are derived from `audit` and never part of what the chain vouches for.
                DROP INDEX audit_subject;
                CREATE TABLE audit_subject_run (
                    run INTEGER NOT NULL,
                    subject TEXT NOT NULL,
                    id INTEGER NOT NULL,
                    PRIMARY KEY (run, subject, id)
                ) WITHOUT ROWID;
                CREATE TABLE audit_subject_indexed (last_id INTEGER NOT NULL);
                INSERT INTO audit_subject_indexed (last_id) VALUES (0);
                """)
            try AuditSubjectIndex.extend(in: db)
        }
        return m
    }
}
