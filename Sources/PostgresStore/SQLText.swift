import Foundation

/// A statement with its values written in as SQL literals, for statements sent together in one
/// block (``PipelinedStatements``): strings quoted with their quotes doubled (the session keeps
/// `standard_conforming_strings` on, so a backslash is an ordinary character), numbers as
/// numbers, nil as NULL. Interpolate values, never SQL written elsewhere.
struct SQLText: ExpressibleByStringInterpolation {
    var sql: String

    init(stringLiteral value: String) { sql = value }
    init(stringInterpolation: Interpolation) { sql = stringInterpolation.sql }

    struct Interpolation: StringInterpolationProtocol {
        var sql = ""
        init(literalCapacity: Int, interpolationCount: Int) { sql.reserveCapacity(literalCapacity + interpolationCount * 16) }
        mutating func appendLiteral(_ literal: String) { sql += literal }
        mutating func appendInterpolation(_ value: String?) {
            guard let value else { sql += "NULL"; return }
            sql += "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
        }
        mutating func appendInterpolation(_ value: Int64?) { sql += value.map { String($0) } ?? "NULL" }
        mutating func appendInterpolation(_ value: Int?) { sql += value.map { String($0) } ?? "NULL" }
        mutating func appendInterpolation(_ value: Double?) {
            guard let value else { sql += "NULL"; return }
            // The shortest text that reads back as the same double.
            sql += value.isFinite ? "'\(value)'::double precision" : "'\(value > 0 ? "Infinity" : value < 0 ? "-Infinity" : "NaN")'::double precision"
        }
    }
}
