import Foundation

/// How envelopes reach a peer: HTTP(S) or a file-drop directory.
public protocol ExchangeTransport: Sendable {
    /// Delivers a batch and returns the peer's acknowledgement envelope.
    func deliver(_ batch: EnvelopeBatch) async throws -> Envelope
    /// One page of a national list, starting at `cursor`.
    func page(list: String, cursor: String, limit: Int) async throws -> Envelope
    /// What the peer holds from `sender`, per list.
    func reconcile(sender: String) async throws -> ReconcileSummary
    /// The state lines of one list the peer holds from `sender`.
    func reconcileLines(sender: String, list: String) async throws -> ReconcileLines
}

/// A delivery that failed: retried when ``isRetryable`` (the peer may be down or busy), else a
/// refusal an operator must look at.
public struct TransportError: Error, CustomStringConvertible, Sendable {
    public var detail: String
    /// The protocol error code of a refusal, when the peer gave one.
    public var code: String?
    public var isRetryable: Bool
    public init(_ detail: String, code: String? = nil, isRetryable: Bool) {
        self.detail = detail; self.code = code; self.isRetryable = isRetryable
    }
    public var description: String { (code.map { "\($0): " } ?? "") + detail }
}

/// The transport a configured peer names (its `url` or its `drop_directory`).
public func makeTransport(for peer: ExchangePeer) -> any ExchangeTransport {
    if let url = peer.url { return HTTPTransport(baseURL: url) }
    return FileDropTransport(directory: peer.dropDirectory ?? ".")
}
