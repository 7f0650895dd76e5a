/// The resource limits of the service, each answered with a problem document and a stable code
/// when reached (docs/roles.md lists them with their tests).
public struct ServiceLimits: Sendable {
    /// A new connection must deliver a complete request head within this time, else it is
    /// closed (slow-header clients hold nothing for long).
    public var headerTimeout: Duration = .seconds(10)
    /// A kept-alive connection must send its next request head within this time of its last
    /// answer, and no connection may go this long without a read or write (a stalled upload).
    public var idleTimeout: Duration = .seconds(30)
    /// A request other than a batch check is answered 503 `timeout` after this long.
    public var requestTimeout: Duration = .seconds(30)
    /// Open connections beyond this are answered 503 `too_many_connections` and closed.
    public var maxConnections = 2_000
    /// Batch checks in flight beyond this are answered 429 `too_many_checks`.
    public var maxConcurrentChecks = 2
    /// Request body limits in bytes: a batch check's upload, feedback, anything else.
    public var maxCheckBody = 256 * 1024 * 1024
    public var maxFeedbackBody = 64 * 1024
    public var maxOtherBody = 16 * 1024

    public init() {}

    /// The body limit of a path.
    func bodyLimit(path: String) -> Int {
        if path == "/v1/check" { return maxCheckBody }
        if path == "/v1/feedback" { return maxFeedbackBody }
        return maxOtherBody
    }
}
