import CreditRegistry
import FeedIngest
/// The generator could not write its output.
public struct FeedGeneratorError: Error, CustomStringConvertible, Sendable {
    public var reason: String
    public var description: String { reason }
}
