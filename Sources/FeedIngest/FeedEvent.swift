import CreditRegistry
/// What ``FeedReader/next()`` yields: a valid record, or a schema-invalid one to quarantine.
public enum FeedEvent: Sendable {
    case item(FeedItem)
    case invalid(FeedItemIssue)
}
