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
        return m
    }
}
