import CreditRegistry
import GRDB

/// Secondary indexes that the ingest never reads. A feed large compared with the registry
/// (a first load, a full snapshot) drops them at its start and builds them again, sorted, at
/// its end, in the same transaction: cheaper than updating them row by row.
///
/// `record_subject` is not among them: building it at the end scans the whole history table,
/// payloads included (the largest table by far), while its entries, a code and a rowid each,
/// stay in the page cache when inserted row by row.
enum BulkIndexes {
    static let definitions = [
        "alias_subject": "CREATE INDEX IF NOT EXISTS alias_subject ON alias(subject_code)",
        "relation_to": "CREATE INDEX IF NOT EXISTS relation_to ON relation(to_code)",
        "penalty_subject": "CREATE INDEX IF NOT EXISTS penalty_subject ON penalty(subject_code)",
        "licence_subject": "CREATE INDEX IF NOT EXISTS licence_subject ON licence(subject_code)",
    ]

    static func drop(in db: Database) throws {
        for name in definitions.keys.sorted() { try db.execute(sql: "DROP INDEX IF EXISTS \(name)") }
    }

    static func create(in db: Database) throws {
        for name in definitions.keys.sorted() { try db.execute(sql: definitions[name] ?? "") }
    }
}
