import Foundation
import GRDB
import GRDBSQLite

/// The current row of a statement stepped through SQLite's C interface, read column by column
/// (0-based) without GRDB's row objects: the fact loaders read every fact of a whole-registry
/// evaluation this way, and build a `String` only for the values they keep.
struct FactRow {
    let statement: OpaquePointer

    /// The text of column `i`, "" for NULL (the fact columns read as text are NOT NULL).
    func text(_ i: Int32) -> String { optionalText(i) ?? "" }

    /// The text of column `i`, or nil for NULL.
    func optionalText(_ i: Int32) -> String? {
        guard let p = sqlite3_column_text(statement, i) else { return nil }
        return String(decoding: UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(statement, i))), as: UTF8.self)
    }

    /// The integer of column `i` (0 for NULL).
    func int64(_ i: Int32) -> Int64 { sqlite3_column_int64(statement, i) }

    /// The integer of column `i`, or nil for NULL.
    func optionalInt64(_ i: Int32) -> Int64? {
        sqlite3_column_type(statement, i) == SQLITE_NULL ? nil : sqlite3_column_int64(statement, i)
    }

    /// The stored day of column `i` (nil for NULL), parsed from SQLite's bytes; a value that is
    /// not a day throws with table, column and row, as ``Day/stored(_:table:column:row:)``.
    func day(_ i: Int32, _ column: String, table: String, subject: String) throws -> Day? {
        guard let p = sqlite3_column_text(statement, i) else { return nil }
        if let d = Day.parse(UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(statement, i)))) { return d }
        return try Day.stored(optionalText(i), table: table, column: column, row: subject)
    }

    /// ``day(_:_:table:subject:)`` for a column that may not be NULL.
    func requiredDay(_ i: Int32, _ column: String, table: String, subject: String) throws -> Day {
        guard let d = try day(i, column, table: table, subject: subject) else {
            throw StoredValueError(table: table, column: column, row: subject, value: nil)
        }
        return d
    }

    /// Compares the text of column `i` with `code` byte by byte (SQLite's BINARY order).
    func compare(_ i: Int32, with code: inout String) -> Int32 {
        let p = sqlite3_column_text(statement, i)
        let n = Int(sqlite3_column_bytes(statement, i))
        return code.withUTF8 { u -> Int32 in
            let m = min(n, u.count)
            if m > 0, let p, let b = u.baseAddress {
                let c = memcmp(p, b, m)
                if c != 0 { return c < 0 ? -1 : 1 }
            }
            return n == u.count ? 0 : (n < u.count ? -1 : 1)
        }
    }
}

/// Rows ordered by subject code (column 0) read straight from a SQLite statement alongside a
/// cursor over subjects in the same order (a merge join): ``values(for:)`` decodes the rows of
/// one code and steps over the rows of codes before it without decoding them.
struct FactRows<Value> {
    private let db: Database
    private let statement: Statement
    private let row: FactRow
    private let decode: (FactRow, String) throws -> Value
    private var onRow = false
    private var started = false

    /// Opens `sql` (with `arguments`), whose rows must be ordered by their first column, the
    /// subject code; `decode` gets each row and its code.
    init(_ db: Database, sql: String, arguments: StatementArguments = [], decode: @escaping (FactRow, String) throws -> Value) throws {
        self.db = db
        statement = try db.makeStatement(sql: sql)
        try statement.setArguments(arguments)
        row = FactRow(statement: statement.sqliteStatement)
        self.decode = decode
    }

    private mutating func advance() throws {
        onRow = try statement.step(db)
    }

    /// The values of the rows for `code`; codes must be asked for in ascending order.
    mutating func values(for code: String) throws -> [Value] {
        if !started { started = true; try advance() }
        var out: [Value] = []
        var key = code
        while onRow {
            let c = row.compare(0, with: &key)
            if c < 0 { try advance(); continue }
            if c > 0 { break }
            out.append(try decode(row, code))
            try advance()
        }
        return out
    }
}
