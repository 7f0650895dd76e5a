import CreditRegistry
/// A record that breaks the bureau's schema: quarantine it and continue with the next record.
///
/// `reason` is libxml2's message with namespaces removed and personal ID numbers masked.
public struct FeedItemIssue: Sendable, Hashable {
    /// Line of the failing element (as libxml2 reports it).
    public var line: Int
    /// The record's `key` attribute, if it had one.
    public var key: String?
    /// The failing element (or `@attribute`), e.g. `fine` or `@op`.
    public var field: String?
    public var reason: String
    /// The record kind, when the element name is known.
    public var kind: FeedItemKind?

    public init(line: Int, key: String?, field: String?, reason: String, kind: FeedItemKind? = nil) {
        self.line = line; self.key = key; self.field = field; self.reason = reason; self.kind = kind
    }
}
