import GRDB

/// The tables of the exchange with the national platform, in the registry's database, as named
/// migrations of their own: measure feedback (append-only), the outbox of messages for the
/// platform, the sender's state, and the cursors of the national lists pulled.
///
/// ```swift
/// try ExchangeSchema.migrate(registry)
/// ```
public enum ExchangeSchema {
    /// Creates or upgrades the exchange tables (idempotent).
    public static func migrate(_ registry: Registry) throws {
        try migrator.migrate(registry.writer)
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("x1-exchange") { db in
            try db.execute(sql: """
                -- Which department applied which measure to which subject, when, under which case.
                CREATE TABLE feedback (
                    id INTEGER PRIMARY KEY,
                    subject_code TEXT NOT NULL,
                    measure TEXT NOT NULL,
                    department TEXT NOT NULL,
                    case_number TEXT NOT NULL,
                    applied_on TEXT NOT NULL,
                    officer TEXT NOT NULL,
                    recorded_at TEXT NOT NULL
                );
                CREATE INDEX feedback_subject ON feedback(subject_code, measure);
                CREATE TRIGGER feedback_no_update BEFORE UPDATE ON feedback
                    BEGIN SELECT RAISE(ABORT, 'feedback is append-only'); END;
                CREATE TRIGGER feedback_no_delete BEFORE DELETE ON feedback
                    BEGIN SELECT RAISE(ABORT, 'feedback is append-only'); END;
                -- Messages for the national platform, in the order of the changes that made them.
                -- AUTOINCREMENT: a sequence is never reused, even after the last row is gone.
                CREATE TABLE outbox (
                    sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                    kind TEXT NOT NULL,
                    subject_code TEXT,
                    payload TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    sent_at TEXT,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    acknowledged_at TEXT,
                    ack_status TEXT
                );
                CREATE INDEX outbox_pending ON outbox(acknowledged_at, sequence);
                -- The sender's state toward each peer (one row a peer).
                CREATE TABLE outbox_peer (
                    peer TEXT PRIMARY KEY,
                    failures INTEGER NOT NULL DEFAULT 0,
                    last_error TEXT,
                    last_error_at TEXT,
                    next_attempt_at TEXT,
                    last_acknowledged INTEGER NOT NULL DEFAULT 0
                );
                -- How far each national list has been pulled from each peer.
                CREATE TABLE exchange_cursor (
                    peer TEXT NOT NULL,
                    list TEXT NOT NULL,
                    cursor TEXT NOT NULL,
                    complete INTEGER NOT NULL DEFAULT 0,
                    pages INTEGER NOT NULL DEFAULT 0,
                    updated_at TEXT NOT NULL,
                    PRIMARY KEY (peer, list)
                ) WITHOUT ROWID;
                """)
        }
        return m
    }
}
