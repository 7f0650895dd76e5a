import GRDB
import GRDBSQLite

/// Binding and stepping a prepared statement through SQLite's C interface.
///
/// The write paths that run a statement per row of a large feed or of a full materialisation
/// bind each value in place: building GRDB's `StatementArguments` (an array of boxed values,
/// validated against the statement on every execution) costs about as much as SQLite's own
/// work on such a row. Values are copied by SQLite when bound, so nothing outlives the call.
///
/// ```swift
/// let s = try db.cachedStatement(sql: "INSERT INTO alias (value, scheme, subject_code) VALUES (?, ?, ?)")
/// s.bind(1, value); s.bind(2, scheme); s.bind(3, code)
/// try s.run(db)
/// ```
extension Statement {
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    /// Binds text (or NULL) to the 1-based parameter `index`.
    public func bind(_ index: Int32, _ value: String?) {
        guard var text = value else { sqlite3_bind_null(sqliteStatement, index); return }
        text.withUTF8 { u in
            _ = sqlite3_bind_text(sqliteStatement, index, UnsafeRawPointer(u.baseAddress)?.assumingMemoryBound(to: CChar.self),
                                  Int32(u.count), Self.transient)
        }
    }

    /// Binds an integer (or NULL) to the 1-based parameter `index`.
    public func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(sqliteStatement, index, value) } else { sqlite3_bind_null(sqliteStatement, index) }
    }

    /// Binds an integer (or NULL) to the 1-based parameter `index`.
    public func bind(_ index: Int32, _ value: Int?) { bind(index, value.map(Int64.init)) }

    /// Binds a boolean as 0 or 1.
    public func bind(_ index: Int32, _ value: Bool) { sqlite3_bind_int64(sqliteStatement, index, value ? 1 : 0) }

    /// Binds a real number (or NULL) to the 1-based parameter `index`.
    public func bind(_ index: Int32, _ value: Double?) {
        if let value { sqlite3_bind_double(sqliteStatement, index, value) } else { sqlite3_bind_null(sqliteStatement, index) }
    }

    /// Binds a day as its stored text (`YYYY-MM-DD`), or NULL.
    public func bind(_ index: Int32, _ value: Day?) { bind(index, value?.description) }

    /// Steps the bound statement to its end and resets it; throws the SQLite error as a
    /// `DatabaseError` (constraint violations included), with the statement's SQL.
    public func run(_ db: Database) throws {
        let rc = sqlite3_step(sqliteStatement)
        sqlite3_reset(sqliteStatement)
        guard rc == SQLITE_DONE || rc == SQLITE_ROW else { throw directError(db) }
    }

    /// Steps the bound statement once: true when it produced a row (read it with the column
    /// accessors, then call ``finish()``), false at its end (already reset).
    public func step(_ db: Database) throws -> Bool {
        let rc = sqlite3_step(sqliteStatement)
        if rc == SQLITE_ROW { return true }
        sqlite3_reset(sqliteStatement)
        guard rc == SQLITE_DONE else { throw directError(db) }
        return false
    }

    /// Resets a statement left on a row by ``step(_:)``.
    public func finish() { sqlite3_reset(sqliteStatement) }

    /// The text of column `index` (0-based) of the current row, or nil for NULL.
    public func text(at index: Int32) -> String? {
        guard let p = sqlite3_column_text(sqliteStatement, index) else { return nil }
        return String(decoding: UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(sqliteStatement, index))), as: UTF8.self)
    }

    /// The integer of column `index` (0-based) of the current row (0 for NULL).
    public func int64(at index: Int32) -> Int64 { sqlite3_column_int64(sqliteStatement, index) }

    /// True when column `index` (0-based) of the current row is NULL.
    public func isNull(at index: Int32) -> Bool { sqlite3_column_type(sqliteStatement, index) == SQLITE_NULL }

    private func directError(_ db: Database) -> DatabaseError {
        let conn = db.sqliteConnection
        return DatabaseError(resultCode: ResultCode(rawValue: sqlite3_extended_errcode(conn)),
                             message: conn.map { String(cString: sqlite3_errmsg($0)) }, sql: sql)
    }
}
