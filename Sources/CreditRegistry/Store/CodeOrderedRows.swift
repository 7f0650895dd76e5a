import GRDB

/// Rows ordered by subject code (column 0), decoded one row ahead, read alongside a cursor over
/// subjects in the same order (a merge join): ``values(for:)`` returns the rows of one code and
/// skips the rows of codes before it (facts of subjects the caller does not stream).
public struct CodeOrderedRows<Value> {
    private let cursor: RowCursor
    private let decode: (Row, String) throws -> Value
    private var pending: (code: String, value: Value)?
    private var started = false

    /// Opens `sql` (with `arguments`), whose rows must be ordered by their first column, the
    /// subject code; `decode` gets each row and its code.
    public init(_ db: Database, sql: String, arguments: StatementArguments = [],
                decode: @escaping (Row, String) throws -> Value) throws {
        cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        self.decode = decode
    }

    private mutating func advance() throws {
        if let row = try cursor.next() {
            let code: String = row[0]
            pending = (code, try decode(row, code))
        } else { pending = nil }
    }

    /// The values of the rows for `code`; codes must be asked for in ascending order.
    public mutating func values(for code: String) throws -> [Value] {
        if !started { try advance(); started = true }
        var out: [Value] = []
        while let p = pending {
            if p.code < code { try advance(); continue }
            if p.code > code { break }
            out.append(p.value)
            try advance()
        }
        return out
    }
}
