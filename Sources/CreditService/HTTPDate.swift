import CreditRegistry
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The `Date` header's value (RFC 9110 §5.6.7, `Tue, 01 Dec 2026 03:04:05 GMT`), formatted once a
/// second for the whole process.
enum HTTPDate {
    private static let cache = LockedBox((second: -1, text: ""))
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Now, to the second.
    static var now: String {
        let second = time(nil)
        return cache.withValue { c in
            if c.second != second { c = (second, format(second)) }
            return c.text
        }
    }

    /// `second` (seconds since 1970) in the header's format.
    static func format(_ second: Int) -> String {
        var t = time_t(second)
        var parts = tm()
        gmtime_r(&t, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}
