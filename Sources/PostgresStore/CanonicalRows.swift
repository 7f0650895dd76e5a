import Crypto
import Foundation
import GRDB
import NIOCore
import PostgresNIO

/// The type of a column as both databases store it (see ``PostgresMigrations``).
public enum ColumnType: String, Sendable, Hashable {
    case integer, real, text

    /// From `information_schema.columns.data_type`.
    init?(postgres dataType: String) {
        switch dataType {
        case "bigint", "integer", "smallint": self = .integer
        case "double precision", "real": self = .real
        case "text", "character varying": self = .text
        default: return nil
        }
    }
}

/// One value of a row, as the digest and the copy see it: the same on both sides.
enum CanonicalValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    /// A SQLite value as the column's PostgreSQL type will hold it (SQLite's storage class may
    /// differ from the declared one: a number in a `TEXT` column is stored as text there).
    init(sqlite value: DatabaseValue, as type: ColumnType) throws {
        switch (value.storage, type) {
        case (.null, _): self = .null
        case (.int64(let i), .integer): self = .integer(i)
        case (.int64(let i), .real): self = .real(Double(i))
        case (.int64(let i), .text): self = .text(String(i))
        case (.double(let d), .real): self = .real(d)
        case (.double(let d), .integer) where d == d.rounded() && abs(d) < 9.0e18: self = .integer(Int64(d))
        case (.double(let d), .text): self = .text("\(d)")
        case (.string(let s), .text): self = .text(s)
        case (.string(let s), .integer) where Int64(s) != nil: self = .integer(Int64(s)!)
        case (.string(let s), .real) where Double(s) != nil: self = .real(Double(s)!)
        case (.blob(let b), .text) where String(data: b, encoding: .utf8) != nil: self = .text(String(data: b, encoding: .utf8)!)
        default: throw CanonicalValueError(value: value, type: type)
        }
    }

    /// A PostgreSQL cell of a column of `type`.
    init(postgres cell: PostgresCell, as type: ColumnType) throws {
        switch type {
        case .integer: self = try cell.decode(Int64?.self).map(CanonicalValue.integer) ?? .null
        case .real: self = try cell.decode(Double?.self).map(CanonicalValue.real) ?? .null
        case .text: self = try cell.decode(String?.self).map(CanonicalValue.text) ?? .null
        }
    }

    /// Appends the value in `COPY … (FORMAT text)`: `\N` for null, backslash escapes.
    func appendCopyText(to buffer: inout ByteBuffer) {
        switch self {
        case .null: buffer.writeStaticString("\\N")
        case .integer(let i): buffer.writeString(String(i))
        case .real(let d): buffer.writeString(d.isFinite ? "\(d)" : (d.isNaN ? "NaN" : (d > 0 ? "Infinity" : "-Infinity")))
        case .text(let s):
            var escaped = [UInt8]()
            escaped.reserveCapacity(s.utf8.count)
            for b in s.utf8 {
                switch b {
                case 0x5C: escaped.append(0x5C); escaped.append(0x5C)   // backslash
                case 0x09: escaped.append(0x5C); escaped.append(0x74)   // tab
                case 0x0A: escaped.append(0x5C); escaped.append(0x6E)   // newline
                case 0x0D: escaped.append(0x5C); escaped.append(0x72)   // carriage return
                default: escaped.append(b)
                }
            }
            buffer.writeBytes(escaped)
        }
    }

    /// Feeds the value to a digest: a tag byte, then a fixed-width number or a length and UTF-8.
    func feed(_ hasher: inout SHA256) {
        switch self {
        case .null: hasher.update(data: [0])
        case .integer(let i): hasher.update(data: [1] + withUnsafeBytes(of: i.bigEndian, Array.init))
        case .real(let d): hasher.update(data: [2] + withUnsafeBytes(of: d.bitPattern.bigEndian, Array.init))
        case .text(let s):
            let utf8 = Array(s.utf8)
            hasher.update(data: [3] + withUnsafeBytes(of: UInt32(utf8.count).bigEndian, Array.init))
            hasher.update(data: utf8)
        }
    }
}

/// A SQLite value that the column's PostgreSQL type cannot hold.
struct CanonicalValueError: Error, CustomStringConvertible {
    var value: DatabaseValue
    var type: ColumnType
    var description: String { "value \(value) does not fit a \(type.rawValue) column" }
}

/// The ordered digest of a table: SHA-256 over the canonical encoding of every row, rows in
/// the table's key order (byte order for text, nulls first — SQLite's order), plus the count.
/// Both sides compute it with this type, so equal digests mean equal contents.
struct TableDigest: @unchecked Sendable {  // SHA256 is a value type without a Sendable mark
    private var hasher = SHA256()
    private(set) var rows = 0

    mutating func add(_ row: [CanonicalValue]) {
        for v in row { v.feed(&hasher) }
        rows += 1
    }

    func finish() -> String {
        hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
