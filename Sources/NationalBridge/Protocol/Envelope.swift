import CreditRegistry
import Foundation
import SMCrypto

/// A message of the exchange protocol in its signed envelope (docs/exchange.md, "Messages and
/// the envelope"). Encoded with ``ExchangeJSON`` (snake_case keys).
public struct Envelope: Sendable, Hashable, Codable {
    public static let protocolVersion = "credit-exchange/1"

    public var `protocol`: String
    public var id: String
    public var sender: String
    public var receiver: String
    public var sequence: Int64
    public var createdAt: String
    public var kind: String
    public var subject: String?
    /// The payload's JSON text, exactly as digested and signed.
    public var payload: String
    /// `sm3:` and the payload's SM3 in hex.
    public var digest: String
    /// Base64 of the DER SM2 signature of ``signingText``.
    public var signature: String

    /// The message id of a sender's sequence number: `<sender>-<12 digits>`.
    public static func messageID(sender: String, sequence: Int64) -> String {
        let digits = String(sequence)
        return "\(sender)-" + String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }

    /// `sm3:<hex>` of the payload text.
    public static func digest(of payload: String) -> String { "sm3:" + SM3.hex(Array(payload.utf8)) }

    /// The bytes the signature covers: one `name=value` line per identifying field.
    public var signingText: [UInt8] {
        var text = ""
        for (name, value) in [("protocol", `protocol`), ("id", id), ("sender", sender), ("receiver", receiver),
                              ("sequence", String(sequence)), ("created_at", createdAt), ("kind", kind),
                              ("subject", subject ?? ""), ("digest", digest)] {
            text += "\(name)=\(value)\n"
        }
        return Array(text.utf8)
    }

    /// Builds and signs an envelope.
    public static func seal(kind: String, subject: String?, payload: String, sequence: Int64, createdAt: String,
                            from identity: ExchangeIdentity, to receiver: String) throws -> Envelope {
        var e = Envelope(protocol: protocolVersion, id: messageID(sender: identity.id, sequence: sequence), sender: identity.id,
                         receiver: receiver, sequence: sequence, createdAt: createdAt, kind: kind, subject: subject,
                         payload: payload, digest: digest(of: payload), signature: "")
        e.signature = Data(try identity.key.sign(e.signingText, userID: identity.userID)).base64EncodedString()
        return e
    }

    /// Checks the version, the receiver, the digest and the signature against the key the
    /// directory holds for the sender; returns the refusal's code, or nil when it is sound.
    public func check(receiver expected: String, peers: PeerDirectory) -> ExchangeErrorCode? {
        guard `protocol`.hasPrefix("credit-exchange/"), `protocol`.split(separator: "/").last?.split(separator: ".").first == "1" else {
            return .unsupportedVersion
        }
        guard receiver == expected else { return .wrongReceiver }
        guard let peer = peers.peer(sender) else { return .unknownSender }
        guard digest == Self.digest(of: payload) else { return .digestMismatch }
        guard let signatureBytes = Data(base64Encoded: signature),
              peer.publicKey.verify(Array(signatureBytes), of: signingText, userID: peer.userID) else { return .badSignature }
        return nil
    }
}

/// The error codes of the protocol (docs/exchange.md, "Error codes").
public enum ExchangeErrorCode: String, Sendable, Codable, Hashable, Error {
    case malformed
    case unsupportedVersion = "unsupported-version"
    case unknownSender = "unknown-sender"
    case wrongReceiver = "wrong-receiver"
    case digestMismatch = "digest-mismatch"
    case badSignature = "bad-signature"
    case replayedSequence = "replayed-sequence"
    case outOfOrderSequence = "out-of-order-sequence"
    case unknownList = "unknown-list"
    case badCursor = "bad-cursor"
    case unavailable

    /// The HTTP status the code is answered with outside an acknowledgement.
    public var httpStatus: Int {
        switch self {
        case .malformed, .unsupportedVersion, .wrongReceiver, .digestMismatch, .badCursor: 400
        case .unknownSender, .badSignature: 403
        case .replayedSequence, .outOfOrderSequence: 409
        case .unknownList: 404
        case .unavailable: 503
        }
    }
}
