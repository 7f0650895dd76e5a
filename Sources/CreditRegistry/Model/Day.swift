/// A calendar day (proleptic Gregorian, no time zone), the unit of every valid-time question.
///
/// Stored and printed as ISO 8601 `yyyy-MM-dd`; compared and stepped as a day number, so
/// "as of 2019-03-01" questions never depend on the machine's time zone.
///
/// ```swift
/// let d = try Day("2019-03-01")
/// d.adding(years: 3)   // 2022-03-01
/// ```
public struct Day: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public let ordinal: Int

    public init(ordinal: Int) { self.ordinal = ordinal }

    /// Creates a day from its parts; returns nil when the date does not exist.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Day.daysIn(month: month, year: year) else { return nil }
        self.ordinal = Day.daysFromCivil(year, month, day)
    }

    /// Parses `yyyy-MM-dd` (also `yyyyMMdd`).
    public init(_ text: String) throws(DayError) {
        var t = text
        let parsed: Day? = t.withUTF8 { Day.parse($0) }
        guard let parsed else { throw DayError(text: text) }
        self = parsed
    }

    /// Parses `yyyy-MM-dd` or `yyyyMMdd` bytes without allocating; nil when not a real date.
    package static func parse(_ u: UnsafeBufferPointer<UInt8>) -> Day? {
        let dashed = u.count == 10
        guard dashed || u.count == 8 else { return nil }
        if dashed && (u[4] != UInt8(ascii: "-") || u[7] != UInt8(ascii: "-")) { return nil }
        var digits = (0, 0, 0)
        var n = 0
        for (i, b) in u.enumerated() where !(dashed && (i == 4 || i == 7)) {
            guard b >= 48 && b <= 57 else { return nil }
            let v = Int(b - 48)
            switch n {
            case 0..<4: digits.0 = digits.0 * 10 + v
            case 4..<6: digits.1 = digits.1 * 10 + v
            default: digits.2 = digits.2 * 10 + v
            }
            n += 1
        }
        return Day(year: digits.0, month: digits.1, day: digits.2)
    }

    /// Parses the date part of an ISO timestamp such as `2024-05-01T08:00:00+08:00`.
    public init(isoPrefixOf text: String) throws(DayError) {
        try self.init(String(text.prefix(10)))
    }

    public var parts: (year: Int, month: Int, day: Int) { Day.civilFromDays(ordinal) }
    public var year: Int { parts.year }

    public var description: String {
        let (y, m, d) = parts
        // Written on every stored fact and record: ten ASCII bytes, no intermediate strings.
        if (0...9999).contains(y) {
            return String(unsafeUninitializedCapacity: 10) { b in
                func digits(_ v: Int, _ at: Int, _ width: Int) {
                    var v = v
                    for i in stride(from: at + width - 1, through: at, by: -1) { b[i] = UInt8(truncatingIfNeeded: 48 + v % 10); v /= 10 }
                }
                digits(y, 0, 4); b[4] = 45; digits(m, 5, 2); b[7] = 45; digits(d, 8, 2)
                return 10
            }
        }
        func pad(_ v: Int, _ w: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, w - s.count)) + s }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    public static func < (a: Day, b: Day) -> Bool { a.ordinal < b.ordinal }

    public func adding(days: Int) -> Day { Day(ordinal: ordinal + days) }

    /// Adds calendar months, clamping to the month's last day (2020-01-31 + 1 month = 2020-02-29).
    public func adding(months: Int) -> Day {
        let (y, m, d) = parts
        let total = y * 12 + (m - 1) + months
        let ny = total >= 0 ? total / 12 : (total - 11) / 12
        let nm = total - ny * 12 + 1
        return Day(ordinal: Day.daysFromCivil(ny, nm, min(d, Day.daysIn(month: nm, year: ny))))
    }

    public func adding(years: Int) -> Day { adding(months: years * 12) }

    /// Today in UTC+8 (China Standard Time), the zone every feed and memorandum is dated in.
    public static func today() -> Day {
        let seconds = Int(Double(time(nil))) + 8 * 3600
        return Day(ordinal: seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
    }

    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's civil-calendar algorithms.
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        do { try self.init(s) } catch { throw DecodingError.dataCorruptedError(in: c, debugDescription: error.description) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// A text that is not a calendar date in `yyyy-MM-dd` form.
public struct DayError: Error, Sendable, CustomStringConvertible {
    public let text: String
    public var description: String { "'\(text)' is not a date (expected yyyy-MM-dd)" }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
