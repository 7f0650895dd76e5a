/// Where "today" comes from: the calendar in production, a fixed day in tests and replays.
///
/// ```swift
/// let clock = DayClock.fixed(try Day("2025-01-01"))
/// clock.today()   // 2025-01-01
/// ```
public struct DayClock: Sendable {
    /// Today's date in the platform's time zone (UTC+8 for the system clock).
    public let today: @Sendable () -> Day

    public init(today: @escaping @Sendable () -> Day) { self.today = today }

    /// The calendar's today (UTC+8).
    public static let system = DayClock { Day.today() }

    /// Always `day`.
    public static func fixed(_ day: Day) -> DayClock { DayClock { day } }
}
