import CreditRegistry
import RuleEngine
import GRDB

/// The tables this target owns in the registry's database — rule-set versions and the
/// materialised decisions — as named, append-only migrations of their own.
///
/// The registry's migrator leaves these identifiers alone (GRDB tolerates identifiers it does
/// not know), so a database migrated before the tables moved here is recognised as up to date.
///
/// ```swift
/// let registry = try Registry(path: "credit.db")
/// try DecisionSchema.migrate(registry)
/// ```
public enum DecisionSchema {
    /// Creates or upgrades the decision tables of `registry` (idempotent).
    public static func migrate(_ registry: Registry) throws {
        try migrator.migrate(registry.writer)
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v3-decisions") { db in
            try db.execute(sql: """
                -- Rule-set versions: what was activated, by whom, when.
                CREATE TABLE ruleset (
                    version TEXT PRIMARY KEY,
                    activated_at TEXT NOT NULL,
                    author TEXT NOT NULL,
                    source_dir TEXT NOT NULL,
                    sources TEXT NOT NULL,          -- JSON {file: text} so rollback needs no files
                    active INTEGER NOT NULL DEFAULT 0
                );
                -- Materialised decisions of the active rule set, as of the evaluation day.
                CREATE TABLE decision (
                    subject_code TEXT NOT NULL,
                    measure TEXT NOT NULL,
                    rule TEXT NOT NULL,
                    memorandum TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    category TEXT NOT NULL,
                    department TEXT NOT NULL,
                    department_name TEXT NOT NULL,
                    basis TEXT NOT NULL,
                    text TEXT NOT NULL,
                    valid_from TEXT NOT NULL,
                    valid_until TEXT,
                    financial INTEGER NOT NULL DEFAULT 0,
                    via_code TEXT,
                    via_role TEXT,
                    caused_by TEXT NOT NULL,        -- JSON array of record ids
                    ruleset_version TEXT NOT NULL,
                    evaluated_on TEXT NOT NULL
                );
                CREATE INDEX decision_subject ON decision(subject_code);
                CREATE INDEX decision_measure ON decision(measure);
                """)
        }
        VerificationStore.register(in: &m)
        m.registerMigration("v4-decision-verification") { db in
            try db.execute(sql: """
                -- Facts nobody has verified yet that the decision rests on (comma-separated VerifiableFact ids).
                ALTER TABLE decision ADD COLUMN to_verify TEXT NOT NULL DEFAULT '';
                -- Departments cooperating with the lead department (comma-separated ids).
                ALTER TABLE decision ADD COLUMN cooperating TEXT NOT NULL DEFAULT '';
                """)
        }
        return m
    }
}
