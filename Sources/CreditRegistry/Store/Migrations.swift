import GRDB

/// The registry schema, as named, append-only migrations. Never edit a shipped migration:
/// add a new one.
enum RegistryMigrations {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        #if DEBUG
        m.eraseDatabaseOnSchemaChange = false
        #endif
        m.registerMigration("v1-registry") { db in
            // Subjects: the derived current identity of each legal person, organisation or citizen.
            try db.execute(sql: """
                CREATE TABLE subject (
                    id INTEGER PRIMARY KEY,
                    code TEXT NOT NULL UNIQUE,          -- USCC or 18-digit resident ID
                    kind TEXT NOT NULL,
                    name TEXT NOT NULL,
                    status TEXT NOT NULL DEFAULT 'active',
                    status_since TEXT,
                    established_on TEXT,
                    region TEXT,                        -- division code of the registering authority / address code
                    authority TEXT,                     -- registration authority as given by the bureau
                    updated_by_record INTEGER
                );
                -- Every identifier a subject is known by (its own code is derived from `subject` since v12).
                CREATE TABLE alias (
                    value TEXT NOT NULL,
                    scheme TEXT NOT NULL,
                    subject_code TEXT NOT NULL,
                    PRIMARY KEY (value, scheme)
                ) WITHOUT ROWID;
                CREATE INDEX alias_subject ON alias(subject_code);
                -- Current and former names, valid time included (former names are searchable).
                CREATE TABLE subject_name (
                    subject_code TEXT NOT NULL,
                    name TEXT NOT NULL,
                    valid_from TEXT,
                    valid_to TEXT,
                    PRIMARY KEY (subject_code, name)
                ) WITHOUT ROWID;
                CREATE TABLE status_history (
                    subject_code TEXT NOT NULL,
                    since TEXT NOT NULL,
                    status TEXT NOT NULL,
                    record_id INTEGER,
                    PRIMARY KEY (subject_code, since, status)
                ) WITHOUT ROWID;
                CREATE TABLE relation (
                    id INTEGER PRIMARY KEY,
                    from_code TEXT NOT NULL,            -- the organisation
                    role TEXT NOT NULL,
                    to_code TEXT NOT NULL,              -- the person (or shareholder organisation)
                    share REAL,
                    valid_from TEXT NOT NULL,
                    valid_to TEXT,
                    record_id INTEGER,
                    UNIQUE (from_code, role, to_code, valid_from)
                );
                CREATE INDEX relation_to ON relation(to_code);
                -- Every fact received, append-only, with provenance and valid time.
                CREATE TABLE record (
                    id INTEGER PRIMARY KEY,
                    subject_code TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    bureau TEXT NOT NULL,
                    bureau_key TEXT NOT NULL,
                    operation TEXT NOT NULL,            -- upsert | revoke
                    feed_id INTEGER NOT NULL,
                    line INTEGER NOT NULL,
                    document_number TEXT,
                    effective_from TEXT,
                    effective_to TEXT,
                    recorded_at TEXT NOT NULL,
                    content_hash TEXT NOT NULL,
                    payload TEXT NOT NULL               -- JSON of the fields as received
                );
                CREATE INDEX record_subject ON record(subject_code);
                CREATE INDEX record_key ON record(bureau, bureau_key);
                -- The current effective record of each bureau key (corrections replace it here only).
                CREATE TABLE record_head (
                    bureau TEXT NOT NULL,
                    bureau_key TEXT NOT NULL,
                    record_id INTEGER NOT NULL,
                    content_hash TEXT NOT NULL,
                    revoked INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (bureau, bureau_key)
                ) WITHOUT ROWID;
                -- Derived, queryable facts (one row per bureau key, pointing at the effective record).
                CREATE TABLE list_entry (
                    id INTEGER PRIMARY KEY,
                    subject_code TEXT NOT NULL,
                    list TEXT NOT NULL,
                    entered_on TEXT NOT NULL,
                    exited_on TEXT,
                    ground TEXT,
                    reason TEXT,
                    authority TEXT,
                    entry_key TEXT NOT NULL,            -- bureau:key of the entry record
                    entry_record INTEGER NOT NULL,
                    exit_record INTEGER,
                    UNIQUE (entry_key)
                );
                CREATE INDEX list_entry_subject ON list_entry(subject_code);
                CREATE TABLE penalty (
                    record_key TEXT PRIMARY KEY,
                    subject_code TEXT NOT NULL,
                    document_number TEXT NOT NULL,
                    decided_on TEXT NOT NULL,
                    types TEXT NOT NULL,
                    fine_micro_wan INTEGER NOT NULL DEFAULT 0,
                    severity TEXT NOT NULL,
                    authority TEXT,
                    publicity_end TEXT,
                    repaired_on TEXT,
                    revoked_on TEXT,
                    record_id INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX penalty_subject ON penalty(subject_code);
                CREATE TABLE licence (
                    record_key TEXT PRIMARY KEY,
                    subject_code TEXT NOT NULL,
                    number TEXT NOT NULL,
                    type TEXT NOT NULL,
                    granted_on TEXT NOT NULL,
                    valid_until TEXT,
                    revoked_on TEXT,
                    record_id INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX licence_subject ON licence(subject_code);
                CREATE TABLE tax_grade (
                    subject_code TEXT NOT NULL,
                    year INTEGER NOT NULL,
                    grade TEXT NOT NULL,
                    published_on TEXT NOT NULL,
                    record_id INTEGER NOT NULL,
                    PRIMARY KEY (subject_code, year)
                ) WITHOUT ROWID;
                -- Feeds and what was quarantined from them.
                CREATE TABLE feed (
                    id INTEGER PRIMARY KEY,
                    bureau TEXT NOT NULL,
                    feed_id TEXT NOT NULL,
                    sequence INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    file TEXT NOT NULL,
                    digest TEXT NOT NULL,
                    generated_at TEXT,
                    ingested_at TEXT NOT NULL,
                    records_read INTEGER NOT NULL DEFAULT 0,
                    records_new INTEGER NOT NULL DEFAULT 0,
                    records_changed INTEGER NOT NULL DEFAULT 0,
                    records_unchanged INTEGER NOT NULL DEFAULT 0,
                    records_revoked INTEGER NOT NULL DEFAULT 0,
                    records_rejected INTEGER NOT NULL DEFAULT 0,
                    seconds REAL NOT NULL DEFAULT 0,
                    UNIQUE (bureau, feed_id)
                );
                CREATE TABLE reject (
                    id INTEGER PRIMARY KEY,
                    feed INTEGER NOT NULL REFERENCES feed(id),
                    line INTEGER NOT NULL,
                    bureau_key TEXT,
                    field TEXT,
                    reason TEXT NOT NULL
                );
                CREATE INDEX reject_feed ON reject(feed);
                """)
        }
        m.registerMigration("v2-audit") { db in
            try db.execute(sql: """
                CREATE TABLE audit (
                    id INTEGER PRIMARY KEY,
                    at TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    subject TEXT,
                    detail TEXT NOT NULL,
                    previous_hash TEXT NOT NULL,
                    hash TEXT NOT NULL UNIQUE
                );
                CREATE INDEX audit_subject ON audit(subject);
                CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                """)
        }
        m.registerMigration("v4-name-search") { db in
            // Searchable names: a rowid copy of `subject_name` (which is WITHOUT ROWID, so FTS5
            // cannot use it as external content) with an index for exact and prefix matches, and
            // an FTS5 trigram index for substrings of three characters or more. Kept in sync by
            // triggers; `NameIndex.suspendIndexing` / `rebuildIndex` serve bulk loads.
            try db.execute(sql: """
                CREATE TABLE name_index (
                    id INTEGER PRIMARY KEY,
                    subject_code TEXT NOT NULL,
                    name TEXT NOT NULL,
                    former INTEGER NOT NULL DEFAULT 0,  -- 1 when the name has an end (valid_to)
                    UNIQUE (subject_code, name)
                );
                CREATE INDEX name_index_name ON name_index(name);
                CREATE VIRTUAL TABLE name_fts USING fts5(name, content='name_index', content_rowid='id', tokenize='trigram');
                -- Trigrams found in many names (from a sample), which name search avoids as
                -- driving terms: a phrase over a trigram in most names reads most of its doclist.
                CREATE TABLE name_trigram_common (term TEXT PRIMARY KEY, share REAL NOT NULL) WITHOUT ROWID;
                """)
            try db.execute(sql: RegistryMigrations.nameIndexTriggers)
            try db.execute(sql: """
                INSERT INTO name_index (subject_code, name, former)
                    SELECT subject_code, name, valid_to IS NOT NULL FROM subject_name ORDER BY subject_code, name;
                INSERT INTO name_fts(name_fts) VALUES ('rebuild');
                """)
        }
        m.registerMigration("v5-drop-record-key-index") { db in
            // The head of each bureau key lives in `record_head`; the history by key is rarely
            // asked for and this index cost every ingested record a B-tree insert.
            try db.execute(sql: "DROP INDEX IF EXISTS record_key")
        }
        m.registerMigration("v6-subjects-from-any-source") { db in
            // Which source gave a subject its identity (registration > named in a registration >
            // a bureau record > a national list): a more authoritative source replaces the name,
            // a less authoritative one is kept as a variant only.
            try db.execute(sql: """
                ALTER TABLE subject ADD COLUMN identity_source TEXT;
                UPDATE subject SET identity_source = CASE WHEN updated_by_record IS NOT NULL THEN 'registration' ELSE 'named' END;
                -- Every name a source gave a subject, as it wrote it (e.g. a court's spelling of a person's name).
                CREATE TABLE name_variant (
                    subject_code TEXT NOT NULL,
                    name TEXT NOT NULL,
                    source TEXT NOT NULL,
                    record_id INTEGER,
                    PRIMARY KEY (subject_code, name, source)
                ) WITHOUT ROWID;
                -- Records that cannot be applied yet, with their original provenance and what they wait for.
                CREATE TABLE parked (
                    id INTEGER PRIMARY KEY,
                    feed INTEGER NOT NULL REFERENCES feed(id),
                    line INTEGER NOT NULL,
                    bureau TEXT NOT NULL,
                    bureau_key TEXT NOT NULL,
                    subject_code TEXT NOT NULL,
                    waits_for TEXT NOT NULL,            -- record | entry | listing
                    wait_key TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    item TEXT NOT NULL,                 -- JSON from which the record is mapped again
                    parked_at TEXT NOT NULL
                );
                CREATE INDEX parked_feed ON parked(feed);
                """)
        }
        m.registerMigration("v8-short-name-search") { db in
            // One- and two-character name searches: postings of every character and character
            // pair of the searchable names in rank order (see `NameGramIndex`), built here for an
            // existing registry and kept in step with `name_index` by triggers.
            try db.execute(sql: NameGramIndex.schema)
            try db.execute(sql: NameGramIndex.triggers)
            try NameGramIndex.rebuild(in: db)
        }
        m.registerMigration("v12-derived-identity-rows") { db in
            // Rows that only repeat the subject row go; readers derive them: a subject's own code
            // as its alias (``OwnCodeAlias``), a `named` subject's own name as its variant
            // (``NamedVariant``, kept as a row by a trigger when the subject's name changes).
            try db.execute(sql: OwnCodeAlias.deleteStoredSQL)
            try db.execute(sql: NamedVariant.deleteStoredSQL)
            try db.execute(sql: NamedVariant.sqliteTrigger)
        }
        return m
    }

    /// The triggers that keep `name_index` and `name_fts` in step with `subject_name`.
    static let nameIndexTriggers = """
        CREATE TRIGGER IF NOT EXISTS subject_name_ai AFTER INSERT ON subject_name BEGIN
            INSERT INTO name_index (subject_code, name, former) VALUES (new.subject_code, new.name, new.valid_to IS NOT NULL);
        END;
        CREATE TRIGGER IF NOT EXISTS subject_name_au AFTER UPDATE ON subject_name BEGIN
            UPDATE name_index SET subject_code = new.subject_code, name = new.name, former = (new.valid_to IS NOT NULL)
                WHERE subject_code = old.subject_code AND name = old.name;
        END;
        CREATE TRIGGER IF NOT EXISTS subject_name_ad AFTER DELETE ON subject_name BEGIN
            DELETE FROM name_index WHERE subject_code = old.subject_code AND name = old.name;
        END;
        CREATE TRIGGER IF NOT EXISTS name_index_ai AFTER INSERT ON name_index BEGIN
            INSERT INTO name_fts (rowid, name) VALUES (new.id, new.name);
        END;
        CREATE TRIGGER IF NOT EXISTS name_index_au AFTER UPDATE OF name ON name_index WHEN old.name IS NOT new.name BEGIN
            INSERT INTO name_fts (name_fts, rowid, name) VALUES ('delete', old.id, old.name);
            INSERT INTO name_fts (rowid, name) VALUES (new.id, new.name);
        END;
        CREATE TRIGGER IF NOT EXISTS name_index_ad AFTER DELETE ON name_index BEGIN
            INSERT INTO name_fts (name_fts, rowid, name) VALUES ('delete', old.id, old.name);
        END;
        """

    /// Names of the triggers above, to suspend them for a bulk load.
    static let nameIndexTriggerNames = ["subject_name_ai", "subject_name_au", "subject_name_ad",
                                        "name_index_ai", "name_index_au", "name_index_ad"]
}
