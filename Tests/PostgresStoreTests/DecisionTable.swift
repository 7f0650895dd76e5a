import Foundation
import GRDB
import PostgresNIO
@testable import PostgresStore

/// The rows of the `decision` table as comparable text, from a SQLite file or a PostgreSQL
/// database: every column, the record ids a decision cites replaced by the record they name
/// (feed, line, bureau and key: the two stores number records apart), rows sorted.
enum DecisionTable {
    static let columns = """
        subject_code, measure, rule, memorandum, kind, category, department, department_name, basis, text, valid_from,
        valid_until, financial, via_code, via_role, caused_by, ruleset_version, evaluated_on, to_verify, cooperating
        """
    static let recordsSQL = "SELECT id, feed_id, line, bureau, bureau_key FROM record"

    static func row(_ values: [String?], records: [Int64: String]) -> String {
        var values = values
        if let causes = values[15] {
            let ids = causes.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).split(separator: ",").compactMap { Int64($0) }
            values[15] = ids.map { records[$0] ?? "record \($0)?" }.joined(separator: ", ")
        }
        return values.map { $0 ?? "NULL" }.joined(separator: " | ")
    }

    static func postgres(_ url: String) throws -> [String] {
        let session = try PostgresSession.connect(to: try PostgresLocation(url: url))
        defer { session.close() }
        var records: [Int64: String] = [:]
        for row in try session.query(PostgresQuery(unsafeSQL: recordsSQL)) {
            let (id, feed, line, bureau, key) = try row.decode((Int64, Int64, Int64, String, String).self)
            records[id] = "\(feed):\(line):\(bureau):\(key)"
        }
        let cast = columns.split(separator: ",").map { "\($0.trimmingCharacters(in: .whitespacesAndNewlines))::text" }.joined(separator: ", ")
        return try session.query(PostgresQuery(unsafeSQL: "SELECT \(cast) FROM decision")).map { r in
            row(try r.map { try $0.decode(String?.self) }, records: records)
        }.sorted()
    }

    static func sqlite(_ path: String) throws -> [String] {
        try DatabaseQueue(path: path).read { db in
            var records: [Int64: String] = [:]
            for r in try Row.fetchAll(db, sql: recordsSQL) {
                records[r[0]] = "\(r[1] as Int64):\(r[2] as Int64):\(r[3] as String):\(r[4] as String)"
            }
            let cast = columns.split(separator: ",").map { "CAST(\($0.trimmingCharacters(in: .whitespacesAndNewlines)) AS TEXT)" }.joined(separator: ", ")
            return try Row.fetchAll(db, sql: "SELECT \(cast) FROM decision").map { r in
                row((0..<20).map { r[$0] as String? }, records: records)
            }.sorted()
        }
    }

    /// The JSON object on each line of `stdout` that has `key` (an activation's summary, an
    /// ingest's re-evaluation), without its timing.
    static func summaries(_ stdout: String, key: String? = nil) -> [[String: String]] {
        stdout.split(separator: "\n").compactMap { line -> [String: String]? in
            guard var object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            if let key {
                guard let inner = object[key] as? [String: Any] else { return nil }
                object = inner
            } else if let inner = object["summary"] as? [String: Any] {
                object.merge(inner) { _, new in new }
                object["summary"] = nil
            }
            var out: [String: String] = [:]
            for (k, v) in object where k != "seconds" && k != "activatedAt" { out[k] = "\(v)" }
            return out
        }
    }
}
