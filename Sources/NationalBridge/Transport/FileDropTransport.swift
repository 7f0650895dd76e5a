import Foundation

/// The exchange through a file-drop directory shared with a front-end processor: a batch is
/// written to `outbound/NAME.json.part`, flushed, then renamed to `NAME.json` (a reader never
/// sees half a file); the acknowledgement is read from `acks/NAME.json` once the other side has
/// written it. Until then a delivery reports a retryable "awaiting acknowledgement".
///
/// Pulls and reconciliation need a live peer: over a drop directory they are refused.
public struct FileDropTransport: ExchangeTransport {
    public var directory: String

    public init(directory: String) { self.directory = directory }

    /// `<sender>-<first sequence>-<last sequence>`.
    static func name(of batch: EnvelopeBatch) -> String {
        let first = batch.messages.first.map { Envelope.messageID(sender: $0.sender, sequence: $0.sequence) } ?? "empty"
        return "\(first)-\(batch.messages.last?.sequence ?? 0)"
    }

    /// Writes `data` to `path` through a temporary name and a rename.
    static func writeAtomically(_ data: Data, to path: String) throws {
        let part = path + ".part"
        FileManager.default.createFile(atPath: part, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: part))
        try handle.write(contentsOf: data)
        try handle.synchronize()
        try handle.close()
        guard rename(part, path) == 0 else { throw TransportError("cannot rename \(part) to \(path): errno \(errno)", isRetryable: true) }
    }

    public func deliver(_ batch: EnvelopeBatch) async throws -> Envelope {
        let outbound = directory + "/outbound", acks = directory + "/acks"
        for d in [outbound, acks] { try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true) }
        let name = Self.name(of: batch)
        let target = "\(outbound)/\(name).json"
        if !FileManager.default.fileExists(atPath: target) { try Self.writeAtomically(try ExchangeJSON.encode(batch), to: target) }
        guard let ack = FileManager.default.contents(atPath: "\(acks)/\(name).json") else {
            throw TransportError("batch \(name) dropped in \(outbound); awaiting acknowledgement in \(acks)", isRetryable: true)
        }
        return try ExchangeJSON.decode(Envelope.self, from: ack)
    }

    public func page(list: String, cursor: String, limit: Int) async throws -> Envelope {
        throw TransportError("pulling national lists needs an HTTP peer, not a drop directory", isRetryable: false)
    }

    public func reconcile(sender: String) async throws -> ReconcileSummary {
        throw TransportError("reconciliation needs an HTTP peer, not a drop directory", isRetryable: false)
    }

    public func reconcileLines(sender: String, list: String) async throws -> ReconcileLines {
        throw TransportError("reconciliation needs an HTTP peer, not a drop directory", isRetryable: false)
    }
}
