import GRDB
import GRDBSQLite

/// Which subjects have rows in each fact table, as a bit set indexed by a hash of their codes
/// (16 bits a subject with rows), so that a reader of a related subject's facts skips the
/// queries that would find nothing (most organisations have no penalty, no licence, no list
/// entry; persons have no tax grade). A code whose bit is clear has no rows; a bit shared by
/// chance (about one code in sixteen) only costs a query that finds none.
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

    /// A set bit for every hash of a code with rows; `mask` selects a bit index from a hash.
    struct Bits: Sendable {
        var words: [UInt64]
        var mask: UInt64

        init(_ hashes: [UInt64]) {
            var size: UInt64 = 64
            while size < UInt64(hashes.count) * 16 { size <<= 1 }
            mask = size - 1
            words = Array(repeating: 0, count: Int(size / 64))
            for h in hashes { let b = h & mask; words[Int(b >> 6)] |= 1 << (b & 63) }
        }

        func contains(_ h: UInt64) -> Bool { let b = h & mask; return words[Int(b >> 6)] & (1 << (b & 63)) != 0 }
    }

    private var sets: [Bits?] = Array(repeating: nil, count: Kind.allCases.count)

    /// Reads the subject column of the tables of `kinds` (index scans, in the caller's transaction).
    public static func read(_ kinds: [Kind], in db: Database) throws -> FactPresence {
        var p = FactPresence()
        for kind in kinds {
            var hashes: [UInt64] = []
            let s = try db.makeStatement(sql: "SELECT \(kind.column) FROM \(kind.table) ORDER BY \(kind.column)")
            let row = FactRow(statement: s.sqliteStatement)
            while try s.step(db) {
                let h = row.hash(0)
                if hashes.last != h { hashes.append(h) }
            }
            p.sets[kind.rawValue] = Bits(hashes)
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
    func hash(_ i: Int32) -> UInt64 {
        guard let p = sqlite3_column_text(statement, i) else { return Self.hash(UnsafeBufferPointer(start: nil, count: 0)) }
        return Self.hash(UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(statement, i))))
    }

    /// The hash of a code's UTF-8 bytes.
    static func hash(_ code: String) -> UInt64 {
        var c = code
        return c.withUTF8 { hash($0) }
    }

    /// FNV-1a over the bytes, its high bits folded into the low ones (bit indexes take the low bits).
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h ^ (h >> 29) ^ (h >> 43)
    }
}
