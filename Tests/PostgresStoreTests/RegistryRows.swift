import Foundation
import GRDB
import PostgresNIO
@testable import PostgresStore

/// The rows of the registry's fact and ledger tables as comparable text, from a SQLite file or a
/// PostgreSQL database: each row's values canonicalised (``CanonicalValue``, as `db copy`
/// digests them), rows sorted, so that two stores holding the same content compare equal.
enum RegistryRows {
    /// What a feed writes.
    static let tables = [
        "subject", "alias", "subject_name", "status_history", "relation", "record", "record_head", "list_entry",
        "penalty", "licence", "tax_grade", "feed", "reject", "name_variant", "parked",
    ]

    /// Columns that differ between two stores that ingested the same feeds for reasons other
    /// than content: the time of the run, and row ids that nothing refers to, which PostgreSQL's
    /// sequences advance on an `INSERT … ON CONFLICT` that updates where SQLite's rowids do not.
    static let incidental: [String: Set<String>] = [
        "subject": ["id"], "relation": ["id"], "list_entry": ["id"], "parked": ["id", "parked_at"],
        "feed": ["ingested_at", "seconds"], "record": ["recorded_at"],
    ]

    /// Columns that hold a history record's id, compared by the record they name (its feed, line
    /// and bureau key): PostgreSQL draws ids ahead from a sequence, so its ids may have gaps
    /// that SQLite's have not.
    static let recordIDs: [String: Set<String>] = [
        "record": ["id"], "record_head": ["record_id"], "subject": ["updated_by_record"], "status_history": ["record_id"],
        "relation": ["record_id"], "list_entry": ["entry_record", "exit_record"], "penalty": ["record_id"],
        "licence": ["record_id"], "tax_grade": ["record_id"], "name_variant": ["record_id"],
    ]

    /// A value as compared: a record id replaced by the record it names.
    static func text(_ value: CanonicalValue, table: String, column: String, records: [Int64: String]) -> String {
        if recordIDs[table]?.contains(column) == true, case .integer(let id) = value { return records[id] ?? "record \(id)?" }
        return "\(value)"
    }

    static func postgres(_ url: String, excluding: [String: Set<String>] = incidental) throws -> [String: [String]] {
        let session = try PostgresSession.connect(to: try PostgresLocation(url: url))
        defer { session.close() }
        let columns = try RegistryCopy.targetColumns(tables, in: session)
        var records: [Int64: String] = [:]
        for row in try session.query("SELECT id, feed_id, line, bureau, bureau_key FROM record") {
            let (id, feed, line, bureau, key) = try row.decode((Int64, Int64, Int64, String, String).self)
            records[id] = "record \(feed):\(line):\(bureau):\(key)"
        }
        var result: [String: [String]] = [:]
        for table in tables {
            let cols = (columns[table] ?? []).filter { !(excluding[table] ?? []).contains($0.0) }
            let rows = try session.query(PostgresQuery(unsafeSQL: "SELECT \(cols.map { "\"\($0.0)\"" }.joined(separator: ", ")) FROM \(table)"))
            result[table] = try rows.map { row in
                try zip(row, cols).map { cell, col in
                    text(try CanonicalValue(postgres: cell, as: col.1), table: table, column: col.0, records: records)
                }.joined(separator: " | ")
            }.sorted()
        }
        return result
    }

    /// The same tables of a SQLite registry, with the PostgreSQL columns of `like` (their types).
    static func sqlite(_ path: String, like url: String, excluding: [String: Set<String>] = incidental) throws -> [String: [String]] {
        let session = try PostgresSession.connect(to: try PostgresLocation(url: url))
        defer { session.close() }
        let columns = try RegistryCopy.targetColumns(tables, in: session)
        return try DatabaseQueue(path: path).read { db in
            var records: [Int64: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, feed_id, line, bureau, bureau_key FROM record") {
                records[row[0]] = "record \(row[1] as Int64):\(row[2] as Int64):\(row[3] as String):\(row[4] as String)"
            }
            var result: [String: [String]] = [:]
            for table in tables {
                let cols = (columns[table] ?? []).filter { !(excluding[table] ?? []).contains($0.0) }
                let rows = try Row.fetchAll(db, sql: "SELECT \(cols.map { "\"\($0.0)\"" }.joined(separator: ", ")) FROM \(table)")
                result[table] = try rows.map { row in
                    try cols.enumerated().map { i, col in
                        text(try CanonicalValue(sqlite: row[i] as DatabaseValue, as: col.1), table: table, column: col.0, records: records)
                    }.joined(separator: " | ")
                }.sorted()
            }
            return result
        }
    }

    /// The ingest reports `creditctl ingest --format json` printed, without their timings (and
    /// without the re-evaluation lines that precede a report when a rule set is active).
    static func reports(_ stdout: String) -> [[String: String]] {
        stdout.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  object["reevaluation"] == nil else { return nil }
            var report: [String: String] = [:]
            for (k, v) in object where k != "seconds" && k != "records_per_second" {
                if JSONSerialization.isValidJSONObject(v), let data = try? JSONSerialization.data(withJSONObject: v, options: [.sortedKeys]) {
                    report[k] = String(decoding: data, as: UTF8.self)
                } else {
                    report[k] = "\(v)"
                }
            }
            return report
        }
    }
}
