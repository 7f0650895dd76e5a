import ArgumentParser
import CreditRegistry
import CreditOperations
import Decisions
import CreditQuery

/// `--as-of` parsing shared by commands (a usage error, exit 64, when it is not a date).
enum DayArgument {
    /// The day given, or nil when none was.
    static func optional(_ text: String?) throws -> Day? {
        guard let text else { return nil }
        do { return try Day(text) } catch { throw ValidationError("--as-of: \(error.description)") }
    }
}
