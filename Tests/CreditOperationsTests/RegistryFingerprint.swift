import CreditRegistry
import Decisions
import GRDB

/// What a registry knows and decides, independent of the order its feeds arrived in: subjects,
/// identifiers, names, relations and derived facts without row ids; records by provenance
/// (bureau, key, content, feed file, line); decisions with their causes named by provenance.
/// Two registries that took in the same feeds in any order have equal fingerprints.
struct RegistryFingerprint: Equatable, CustomStringConvertible {
    var lines: [String]

    init(_ registry: Registry, decisions: Bool = true) throws {
        lines = try registry.read { db in
            var out: [String] = []
            func dump(_ name: String, _ sql: String) throws {
                for row in try Row.fetchAll(db, sql: sql) {
                    out.append(name + ":" + row.databaseValues.map { "\($0)" }.joined(separator: "|"))
                }
            }
            try dump("subject", "SELECT code, kind, name, status, status_since, established_on, region, authority FROM subject ORDER BY code")
            try dump("alias", "SELECT value, scheme, subject_code FROM alias ORDER BY 1, 2")
            try dump("name", "SELECT subject_code, name, valid_from, valid_to FROM subject_name ORDER BY 1, 2")
            try dump("status", "SELECT subject_code, since, status FROM status_history ORDER BY 1, 2, 3")
            try dump("relation", "SELECT from_code, role, to_code, share, valid_from, valid_to FROM relation ORDER BY 1, 2, 3, 5")
            let provenance = """
                (SELECT pr.bureau || ':' || pr.bureau_key || ':' || pr.content_hash || ':' || pf.file || ':' || pr.line
                 FROM record pr JOIN feed pf ON pf.id = pr.feed_id WHERE pr.id = %@)
                """
            func prov(_ column: String) -> String { provenance.replacingOccurrences(of: "%@", with: column) }
            try dump("record", "SELECT r.subject_code, r.kind, r.operation, \(prov("r.id")) AS p FROM record r ORDER BY 1, 4")
            try dump("head", "SELECT bureau, bureau_key, content_hash, revoked FROM record_head ORDER BY 1, 2")
            try dump("list", """
                SELECT subject_code, list, entered_on, exited_on, ground, reason, authority, entry_key, \(prov("entry_record")),
                       \(prov("exit_record")) FROM list_entry ORDER BY entry_key
                """)
            try dump("penalty", """
                SELECT record_key, subject_code, document_number, decided_on, types, fine_micro_wan, severity, authority,
                       publicity_end, repaired_on, revoked_on, \(prov("record_id")) FROM penalty ORDER BY 1
                """)
            try dump("licence", "SELECT record_key, subject_code, number, type, granted_on, valid_until, revoked_on, \(prov("record_id")) FROM licence ORDER BY 1")
            try dump("grade", "SELECT subject_code, year, grade, published_on, \(prov("record_id")) FROM tax_grade ORDER BY 1, 2")
            try dump("reject", "SELECT f.file, r.line, r.bureau_key, r.field, r.reason FROM reject r JOIN feed f ON f.id = r.feed ORDER BY 1, 2")
            try dump("parked", "SELECT bureau, bureau_key, waits_for, wait_key FROM parked ORDER BY 1, 2")
            if decisions {
                var names: [Int64: String] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT r.id, \(prov("r.id")) FROM record r") { names[row[0]] = row[1] }
                for row in try Row.fetchAll(db, sql: """
                    SELECT subject_code, measure, rule, valid_from, valid_until, via_code, via_role, caused_by FROM decision
                    """) {
                    let ids = (row[7] as String).trimmingCharacters(in: ["[", "]"]).split(separator: ",").compactMap { Int64($0) }
                    let causes = ids.map { names[$0] ?? "?\($0)" }.sorted().joined(separator: ",")
                    out.append("decision:" + (0..<7).map { "\(row[$0] as DatabaseValue)" }.joined(separator: "|") + "|" + causes)
                }
            }
            return out.sorted()
        }
    }

    var description: String { "\(lines.count) lines" }

    /// The first lines that differ, for a failure message.
    func difference(from other: RegistryFingerprint) -> String {
        let a = Set(lines), b = Set(other.lines)
        let onlyHere = lines.filter { !b.contains($0) }.prefix(5)
        let onlyThere = other.lines.filter { !a.contains($0) }.prefix(5)
        return "only here: \(Array(onlyHere))\nonly there: \(Array(onlyThere))"
    }
}
