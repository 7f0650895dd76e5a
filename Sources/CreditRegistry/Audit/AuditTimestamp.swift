import Foundation

/// The time of an audit entry or checkpoint: UTC to the second, `2026-11-30T19:00:35Z` (the form
/// `ISO8601DateFormatter` writes), formatted without a formatter object: entries are written on
/// the look-up path, where building an ICU date formatter per transaction cost more than the
/// rest of the audit write.
enum AuditTimestamp {
    /// `date` as `yyyy-MM-dd'T'HH:mm:ss'Z'` in UTC (fractions of a second dropped).
    static func string(_ date: Date = Date()) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let inDay = seconds - days * 86_400
        let (y, m, d) = Day(ordinal: days).parts
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20)
        func put(_ value: Int, _ width: Int) {
            var digits = [UInt8](repeating: UInt8(ascii: "0"), count: width)
            var v = value
            for i in stride(from: width - 1, through: 0, by: -1) { digits[i] = UInt8(ascii: "0") + UInt8(v % 10); v /= 10 }
            bytes.append(contentsOf: digits)
        }
        put(y, 4); bytes.append(UInt8(ascii: "-")); put(m, 2); bytes.append(UInt8(ascii: "-")); put(d, 2)
        bytes.append(UInt8(ascii: "T"))
        put(inDay / 3600, 2); bytes.append(UInt8(ascii: ":")); put(inDay / 60 % 60, 2); bytes.append(UInt8(ascii: ":")); put(inDay % 60, 2)
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }
}
