import CreditRegistry
/// Whether a feed is a full snapshot of the bureau's records or only the changes since the last one.
public enum FeedKind: String, Sendable, Codable {
    /// A complete snapshot: every record the bureau currently publishes.
    case full
    /// Changes only: new, corrected and revoked records.
    case delta
}
