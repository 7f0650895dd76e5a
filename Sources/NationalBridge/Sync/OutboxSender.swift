import CreditOperations
import CreditRegistry
import Foundation
import Logging

/// Delivers the outbox to a peer: the oldest unacknowledged messages first, in sequence order,
/// in batches; an acknowledgement is verified (the peer's signature) before anything is marked;
/// transport failures are retried after an exponential back-off, refusals stop the sender.
///
/// Messages are sealed (signed) when sent, from what the outbox stored in the transaction of
/// their change, so a message resent after a crash has the same id and sequence and the peer
/// recognises it.
///
/// ```swift
/// let sender = OutboxSender(operations: ops, config: config, peer: peer)
/// let summary = try await sender.push()
/// ```
public struct OutboxSender: Sendable {
    public let operations: CreditOperations
    public let identity: ExchangeIdentity
    public let peer: ExchangePeer
    public let transport: any ExchangeTransport
    public var batchSize = 200
    public var backoff = Backoff()
    /// Consecutive retryable failures after which ``push(maxFailures:)`` gives up (nil: never).
    public var logger = Logger(label: "credit.bridge")

    public init(operations: CreditOperations, identity: ExchangeIdentity, peer: ExchangePeer, transport: (any ExchangeTransport)? = nil) {
        self.operations = operations; self.identity = identity; self.peer = peer
        self.transport = transport ?? makeTransport(for: peer)
    }

    /// What a push did.
    public struct Summary: Sendable, Codable, Hashable {
        public var sent = 0
        public var accepted = 0
        public var duplicates = 0
        public var batches = 0
        public var failures = 0
    }

    /// A refusal by the peer (not retried): the code and what it said.
    public struct Refused: Error, CustomStringConvertible, Sendable {
        public var code: String
        public var detail: String
        public var sequence: Int64?
        public var description: String { "refused by the peer: \(code)" + (sequence.map { " at sequence \($0)" } ?? "") + ": \(detail)" }
    }

    /// Sends until the outbox is empty. Retryable failures wait for the back-off and try again,
    /// up to `maxFailures` in a row (then the last error is thrown); a refusal is thrown at once.
    ///
    /// Two senders of one database never deliver side by side: the second waits for the first's
    /// hold on the peer (``CreditOperations/holdSender(peer:)``), then sends what is left.
    public func push(maxFailures: Int? = nil) async throws -> Summary {
        let hold = try operations.holdSender(peer: peer.id)
        defer { hold?.release() }
        var summary = Summary()
        var consecutive = 0
        while true {
            do {
                guard try await sendBatch(into: &summary) else { return summary }
                consecutive = 0
            } catch let e as TransportError where e.isRetryable {
                consecutive += 1
                summary.failures += 1
                let delay = backoff.delay(afterFailures: consecutive)
                try operations.recordDeliveryFailure(peer: peer.id, error: e.description, nextAttemptAt: Date().addingTimeInterval(delay))
                if let maxFailures, consecutive >= maxFailures { throw e }
                try await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000))
            } catch let e as TransportError {
                try operations.recordDeliveryFailure(peer: peer.id, error: e.description, nextAttemptAt: Date())
                throw Refused(code: e.code ?? "refused", detail: e.detail, sequence: nil)
            }
        }
    }

    /// Sends one batch; false when nothing was pending.
    public func sendBatch(into summary: inout Summary) async throws -> Bool {
        let pending = try operations.pendingMessages(limit: batchSize)
        guard !pending.isEmpty else { return false }
        let envelopes = try pending.map { m in
            try Envelope.seal(kind: m.kind.rawValue, subject: m.subjectCode, payload: m.payload, sequence: m.sequence,
                              createdAt: m.createdAt, from: identity, to: peer.id)
        }
        try operations.markSent(pending.map(\.sequence))
        CrashPoint.reached("bridge.sent")
        summary.sent += envelopes.count
        summary.batches += 1
        let ackEnvelope = try await transport.deliver(EnvelopeBatch(messages: envelopes))
        CrashPoint.reached("bridge.delivered")
        let ack = try verifiedAcknowledgement(ackEnvelope)
        let sent = Dictionary(uniqueKeysWithValues: envelopes.map { ($0.sequence, $0.id) })
        var done: [(sequence: Int64, status: String)] = []
        var refusal: Acknowledgement.Result?
        for r in ack.results {
            guard sent[r.sequence] == r.id else { continue }
            switch r.status {
            case .accepted: done.append((r.sequence, r.status.rawValue)); summary.accepted += 1
            case .duplicate: done.append((r.sequence, r.status.rawValue)); summary.duplicates += 1
            case .refused: refusal = refusal ?? r
            }
        }
        try operations.acknowledge(done, peer: peer.id)
        CrashPoint.reached("bridge.acknowledged")
        logger.info("batch delivered", metadata: ["peer": "\(peer.id)", "sent": "\(envelopes.count)", "acknowledged": "\(done.count)"])
        if let refusal {
            let code = refusal.code?.rawValue ?? "refused"
            try operations.recordDeliveryFailure(peer: peer.id, error: "\(code) at sequence \(refusal.sequence): \(refusal.detail ?? "")", nextAttemptAt: Date())
            throw Refused(code: code, detail: refusal.detail ?? "", sequence: refusal.sequence)
        }
        if done.isEmpty { throw TransportError("the acknowledgement acknowledged none of the \(envelopes.count) messages sent", isRetryable: true) }
        return true
    }

    /// The acknowledgement's payload, once its envelope verifies as the peer's answer to us.
    func verifiedAcknowledgement(_ e: Envelope) throws -> Acknowledgement {
        guard e.kind == ExchangePayload.Kind.acknowledgement.rawValue, e.sender == peer.id else {
            throw TransportError("the answer is not an acknowledgement from \(peer.id)", code: "malformed", isRetryable: true)
        }
        if let code = e.check(receiver: identity.id, peers: PeerDirectory([peer])) {
            throw TransportError("the acknowledgement does not verify", code: code.rawValue, isRetryable: true)
        }
        do { return try ExchangeJSON.decode(Acknowledgement.self, from: Data(e.payload.utf8)) } catch {
            throw TransportError("acknowledgement payload: \(error)", code: "malformed", isRetryable: true)
        }
    }
}
