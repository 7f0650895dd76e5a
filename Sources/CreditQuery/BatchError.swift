import CreditRegistry
import Decisions
/// A batch check that cannot run at all (unreadable file, no code column, database failure).
/// Problems of single rows are not errors: they become verdicts.
public struct BatchError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
