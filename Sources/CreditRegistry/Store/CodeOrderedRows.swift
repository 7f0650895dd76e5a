import GRDB

/// Rows ordered by subject code (column 0), decoded one row ahead, read alongside a cursor over
/// subjects in the same order (a merge join): ``values(for:)`` returns the rows of one code and
/// skips the rows of codes before it (facts of subjects the caller does not stream).
public struct CodeOrderedRows<Value> {
    private let cursor: RowCursor
    private let decode: (Row, String) throws -> Value
    // The row ahead of the reader, in separate fields: stepping copies no tuple.
    private var pendingCode: String?
    private var pendingValue: Value?
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
            pendingCode = code
            pendingValue = try decode(row, code)
        } else {
            pendingCode = nil
            pendingValue = nil
        }
    }

    /// The values of the rows for `code`; codes must be asked for in ascending order.
    public mutating func values(for code: String) throws -> [Value] {
        if !started { try advance(); started = true }
        var out: [Value] = []
        while let c = pendingCode {
            if c != code {
                if c < code { try advance(); continue }
                break
            }
            out.append(pendingValue!)
            try advance()
        }
        return out
    }
}
