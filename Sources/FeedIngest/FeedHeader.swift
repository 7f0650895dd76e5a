import CreditRegistry
/// The header every feed starts with: who sent it, which feed, and in what order.
///
/// ```xml
/// <feed xmlns="urn:credit-engine:feed:commerce:1" version="1.0">
///   <header>
///     <bureau>commerce</bureau><feedId>SAMR-3502-20240501</feedId><sequence>12</sequence>
///     <generatedAt>2024-05-01T02:00:00+08:00</generatedAt><kind>delta</kind>
///   </header>
/// ```
public struct FeedHeader: Sendable, Hashable, Codable {
    public var bureau: Bureau
    /// The bureau's identifier of this feed; re-sending the same feed keeps it.
    public var feedID: String
    /// Position of the feed in the bureau's series (1, 2, …).
    public var sequence: Int
    /// When the bureau produced the feed, as written (ISO 8601 date-time).
    public var generatedAt: String
    public var kind: FeedKind
    /// The `version` attribute of the root element, e.g. "1.0" (the major version is in the namespace).
    public var schemaVersion: String

    public init(bureau: Bureau, feedID: String, sequence: Int, generatedAt: String, kind: FeedKind, schemaVersion: String) {
        self.bureau = bureau; self.feedID = feedID; self.sequence = sequence
        self.generatedAt = generatedAt; self.kind = kind; self.schemaVersion = schemaVersion
    }
}
