import CreditRegistry
import Decisions
import Foundation
import GRDB
import GRDBSQLite
import NIOCore
import PostgresNIO

/// An in-memory SQLite registry of the full schema into which rows of the PostgreSQL registry
/// are loaded (a *slice*, see ``RegistrySlicing``): foreign keys off (a slice holds a subject
/// without every subject it points at), no triggers (nothing derived is read from a slice).
final class SliceRegistry: @unchecked Sendable {
    let registry: Registry
    /// The columns both sides have, per table, in PostgreSQL's order.
    private let columns: [String: [(String, ColumnType)]]

    /// A new empty slice whose tables take the columns of `target` (PostgreSQL's, see ``RegistryCopy/targetColumns(_:in:)``).
    init(target: [String: [(String, ColumnType)]]) throws {
        var config = Configuration()
        config.foreignKeysEnabled = false
        registry = try Registry(writer: DatabaseQueue(configuration: config))
        try DecisionSchema.migrate(registry)
        try ExchangeSchema.migrate(registry)
        columns = try registry.writer.writeWithoutTransaction { db in
            for name in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger'") {
                try db.execute(sql: "DROP TRIGGER \"\(name)\"")
            }
            var shared: [String: [(String, ColumnType)]] = [:]
            for (table, cols) in target {
                let local = Set(try Row.fetchAll(db, sql: "PRAGMA table_info(\(table))").map { $0["name"] as String })
                shared[table] = cols.filter { local.contains($0.0) }
            }
            return shared
        }
    }

    /// The PostgreSQL column list of `table` for a SELECT.
    func selectList(_ table: String) -> String {
        (columns[table] ?? []).map { "\"\($0.0)\"" }.joined(separator: ", ")
    }

    /// Empties `tables` of the slice.
    func clear(_ tables: [String], in db: Database) throws {
        for t in tables { try db.execute(sql: "DELETE FROM \(t)") }
    }

    /// Reads `table`'s rows that `condition` selects (SQL after WHERE, with bound values) from
    /// PostgreSQL and inserts them into the slice; returns how many.
    @discardableResult
    func load(_ table: String, where condition: PostgresQuery, from session: PostgresSession, into db: Database) throws -> Int {
        guard let cols = columns[table], !cols.isEmpty else { return 0 }
        var sql = condition
        sql.sql = "SELECT \(selectList(table)) FROM \(table) WHERE " + condition.sql
        return try insert(try session.query(sql, "read \(table) for a slice"), into: table, db)
    }

    /// Reads the rows of `table` whose `column` equals one of `keys` from PostgreSQL and inserts
    /// them into the slice; returns how many. One statement whatever the count: the keys go as one
    /// array, sorted and without repeats, and each is one index probe (the `OFFSET 0` keeps the
    /// planner from joining them otherwise: for a few thousand keys it prefers scanning the whole
    /// table or index, `= ANY` as well, which costs several times the probes).
    @discardableResult
    func load(_ table: String, whose column: String, isIn keys: [String], from session: PostgresSession, into db: Database) throws -> Int {
        guard !keys.isEmpty else { return 0 }
        return try load(table, whose: column, array: "\(Array(Set(keys)).sorted())", of: "text", from: session, into: db)
    }

    /// ``load(_:whose:isIn:from:into:)`` for integer keys (record ids).
    @discardableResult
    func load(_ table: String, whose column: String, isIn keys: [Int64], from session: PostgresSession, into db: Database) throws -> Int {
        guard !keys.isEmpty else { return 0 }
        return try load(table, whose: column, array: "\(Array(Set(keys)).sorted())", of: "bigint", from: session, into: db)
    }

    private func load(_ table: String, whose column: String, array: PostgresQuery, of type: String,
                      from session: PostgresSession, into db: Database) throws -> Int {
        guard let cols = columns[table], !cols.isEmpty else { return 0 }
        var sql = array
        sql.sql = "SELECT t.* FROM unnest(\(array.sql)::\(type)[]) AS wanted(key), "
            + "LATERAL (SELECT \(selectList(table)) FROM \(table) WHERE \(column) = wanted.key OFFSET 0) t"
        return try insert(try session.query(sql, "read \(table) for a slice"), into: table, db)
    }

    /// Inserts rows read elsewhere with ``selectList(_:)``'s columns of `table` (a cursor's page).
    @discardableResult
    func insert(_ rows: [PostgresRow], into table: String, in db: Database) throws -> Int {
        try insert(rows, into: table, db)
    }

    /// Puts into the slice the facts rule evaluation reads for the subjects `codes` and those
    /// related to them (``FactTables``), read from PostgreSQL through `session`: the rows of
    /// those subjects the slice held are replaced, the others kept.
    func loadFacts(of codes: [String], from session: PostgresSession, into db: Database) throws {
        let batch = try FactTables.batch(codes) { try session.query($0, $1) }
        let json = String(decoding: try JSONSerialization.data(withJSONObject: batch), as: UTF8.self)
        for table in FactTables.tables where !(columns[table.name] ?? []).isEmpty {
            let here = table.batch.replacingOccurrences(of: "= ANY($1)", with: "IN (SELECT value FROM json_each(?1))")
            try db.execute(sql: "DELETE FROM \(table.name) WHERE \(here)", arguments: [json])
            _ = try insert(try session.query(try FactTables.select(table, columns: selectList(table.name), codes: batch),
                                             "read the facts of \(table.name)"), into: table.name, db)
        }
    }

    /// Inserts rows read with ``selectList(_:)``'s columns into `table` (rows the slice holds already
    /// are kept). The values are bound through SQLite's C API: going through `StatementArguments`
    /// cost more than reading the rows from PostgreSQL.
    private func insert(_ rows: [PostgresRow], into table: String, _ db: Database) throws -> Int {
        guard let cols = columns[table] else { return 0 }
        guard !rows.isEmpty else { return 0 }
        let insert = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO \(table) (\(selectList(table))) VALUES (\(Array(repeating: "?", count: cols.count).joined(separator: ", ")))
            """)
        let statement = insert.sqliteStatement
        defer { sqlite3_reset(statement); sqlite3_clear_bindings(statement) }
        for row in rows {
            sqlite3_reset(statement)
            for (i, cell) in row.enumerated() {
                let index = Int32(i + 1)
                switch try CanonicalValue(postgres: cell, as: cols[i].1) {
                case .null: sqlite3_bind_null(statement, index)
                case .integer(let v): sqlite3_bind_int64(statement, index, v)
                case .real(let v): sqlite3_bind_double(statement, index, v)
                case .text(var v):
                    v.withUTF8 { u in
                        _ = sqlite3_bind_text(statement, index, UnsafeRawPointer(u.baseAddress)?.assumingMemoryBound(to: CChar.self),
                                              Int32(u.count), Self.transient)
                    }
                }
            }
            let rc = sqlite3_step(statement)
            guard rc == SQLITE_DONE else {
                throw PostgresStoreError.statement("copy a row of \(table) into a slice", String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
        }
        return rows.count
    }

    /// SQLite copies the bound text.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
}
