/// A value read from the database that the model cannot represent (a corrupted or hand-edited
/// row): names the table, the column, the row and the value, instead of silently replacing it.
public struct StoredValueError: Error, CustomStringConvertible, Sendable {
    public var table: String
    public var column: String
    /// The row's key as text (e.g. the subject code), when known.
    public var row: String?
    public var value: String?

    public init(table: String, column: String, row: String?, value: String?) {
        self.table = table; self.column = column; self.row = row; self.value = value
    }

    public var description: String {
        "stored value not understood: \(table).\(column)" + (row.map { " of \($0)" } ?? "") + " = " + (value.map { "'\($0)'" } ?? "NULL")
    }
}

extension Day {
    /// A stored day (`yyyy-MM-dd`, or a timestamp starting with one); throws naming where it was.
    public static func stored(_ text: String?, table: String, column: String, row: String?) throws -> Day? {
        guard let text else { return nil }
        var t = text
        if let d = t.withUTF8({ Day.parse($0) }) { return d }
        do { return try Day(isoPrefixOf: text) } catch {
            throw StoredValueError(table: table, column: column, row: row, value: text)
        }
    }

    /// ``stored(_:table:column:row:)`` for a column that may not be NULL.
    public static func storedRequired(_ text: String?, table: String, column: String, row: String?) throws -> Day {
        guard let d = try stored(text, table: table, column: column, row: row) else {
            throw StoredValueError(table: table, column: column, row: row, value: nil)
        }
        return d
    }
}
