import GRDB
import GRDBSQLite

/// Which subjects have rows in each fact table, as a set of hashes of their codes, so that a
/// reader of a related subject's facts skips the queries that would find nothing (most
/// organisations have no penalty, no licence, no list entry; persons have no tax grade). A code
/// whose hash is absent has no rows; a hash shared by chance only costs a query that finds none.
/// Built from one snapshot and valid only for readers of that snapshot, in this process.
public struct FactPresence: Sendable {
    /// The fact kinds a presence set can be built for.
    public enum Kind: Int, CaseIterable, Sendable {
        case statuses, listEntries, taxGrades, penalties, licences, keyPersons, roles

        var table: String {
            switch self {
            case .statuses: "status_history"
            case .listEntries: "list_entry"
            case .taxGrades: "tax_grade"
            case .penalties: "penalty"
            case .licences: "licence"
            case .keyPersons, .roles: "relation"
            }
        }

        var column: String {
            switch self {
            case .keyPersons: "from_code"
            case .roles: "to_code"
            default: "subject_code"
            }
        }
    }

    private var sets: [Set<Int>?] = Array(repeating: nil, count: Kind.allCases.count)

    /// Reads the subject column of the tables of `kinds` (index scans, in the caller's transaction).
    public static func read(_ kinds: [Kind], in db: Database) throws -> FactPresence {
        var p = FactPresence()
        for kind in kinds {
            var set = Set<Int>()
            let s = try db.makeStatement(sql: "SELECT \(kind.column) FROM \(kind.table) ORDER BY \(kind.column)")
            let row = FactRow(statement: s.sqliteStatement)
            var previous = 0
            var first = true
            while try s.step(db) {
                let h = row.hash(0)
                if first || h != previous { set.insert(h) }
                previous = h
                first = false
            }
            p.sets[kind.rawValue] = set
        }
        return p
    }

    /// False when `code` certainly has no rows of `kind`; true when it may (or the kind was not read).
    func mayHave(_ kind: Kind, _ code: String) -> Bool {
        guard let set = sets[kind.rawValue] else { return true }
        return set.contains(FactRow.hash(code))
    }
}

extension FactRow {
    /// The hash of the text of column `i`, equal to ``hash(_:)`` of the same text.
    func hash(_ i: Int32) -> Int {
        var h = Hasher()
        if let p = sqlite3_column_text(statement, i) {
            h.combine(bytes: UnsafeRawBufferPointer(start: p, count: Int(sqlite3_column_bytes(statement, i))))
        }
        return h.finalize()
    }

    /// The hash of a code's UTF-8 bytes.
    static func hash(_ code: String) -> Int {
        var h = Hasher()
        var c = code
        c.withUTF8 { h.combine(bytes: UnsafeRawBufferPointer($0)) }
        return h.finalize()
    }
}
