import CLibCrypto

/// The SM2 distinguishing identifier (user id) that enters the signature's Z value
/// (GB/T 32918.2). GB/T 35276 fixes the default `1234567812345678`; the exchange protocol uses it
/// unless a peer's configuration says otherwise (docs/exchange.md).
public enum SM2UserID {
    public static let `default` = "1234567812345678"
}

/// Why a key could not be loaded or a signature made.
public enum SM2Error: Error, CustomStringConvertible, Sendable, Equatable {
    /// The text is not a PEM key of the expected kind on the SM2 curve.
    case notAnSM2Key(what: String)
    /// libcrypto refused to sign (should not happen with a loaded key).
    case signingFailed

    public var description: String {
        switch self {
        case .notAnSM2Key(let what): "\(what): not an SM2 key in PEM (PKCS#8 private key or SubjectPublicKeyInfo public key)"
        case .signingFailed: "SM2 signing failed inside libcrypto"
        }
    }
}

/// An owned libcrypto key, freed with the last reference. libcrypto keys are safe to use from
/// several threads at once for signing and verifying (each call builds its own context).
final class SM2KeyHandle: @unchecked Sendable {
    let key: OpaquePointer
    init(key: OpaquePointer) { self.key = key }
    deinit { credit_sm2_free(key) }

    static func load(pem: String, isPrivate: Bool, what: String) throws -> SM2KeyHandle {
        var bytes = Array(pem.utf8)
        let key = bytes.withUnsafeMutableBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                credit_sm2_read_pem($0, buf.count, isPrivate ? 1 : 0)
            }
        }
        guard let key, !bytes.isEmpty else { throw SM2Error.notAnSM2Key(what: what) }
        return SM2KeyHandle(key: key)
    }

    func verify(_ signature: [UInt8], of message: [UInt8], userID: String) -> Bool {
        let id = Array(userID.utf8)
        return credit_sm2_verify(key, id, id.count, message, message.count, signature, signature.count) == 1
    }

    func publicPEM() -> String {
        var out = [CChar](repeating: 0, count: 1024)
        let n = credit_sm2_public_pem(key, &out, out.count)
        precondition(n > 0, "a loaded SM2 key always has a public PEM")
        return String(decoding: out[..<Int(n)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// An SM2 private key (PEM, PKCS#8 — what `openssl genpkey -algorithm EC -pkeyopt
/// ec_paramgen_curve:SM2` writes). Signs with SM3 over Z(user id) ‖ message; signatures are DER
/// `SEQUENCE { r, s }` as `openssl pkeyutl -sign -rawin -digest sm3` makes them.
///
/// ```swift
/// let key = try SM2PrivateKey(pem: String(contentsOfFile: "city.key"))
/// let signature = try key.sign(Array("hello".utf8))
/// key.publicKey.verify(signature, of: Array("hello".utf8))   // true
/// ```
public struct SM2PrivateKey: Sendable {
    let handle: SM2KeyHandle

    /// Loads a PEM private key; throws ``SM2Error/notAnSM2Key(what:)`` for anything else.
    public init(pem: String) throws { handle = try .load(pem: pem, isPrivate: true, what: "private key") }

    /// Signs `message` (SM3 digest, SM2 signature, DER encoded).
    public func sign(_ message: [UInt8], userID: String = SM2UserID.default) throws -> [UInt8] {
        let id = Array(userID.utf8)
        var out = [UInt8](repeating: 0, count: 80)
        let n = credit_sm2_sign(handle.key, id, id.count, message, message.count, &out, out.count)
        guard n > 0 else { throw SM2Error.signingFailed }
        return Array(out[..<n])
    }

    /// The matching public key.
    public var publicKey: SM2PublicKey { SM2PublicKey(handle: handle) }
}

/// An SM2 public key (PEM SubjectPublicKeyInfo, what `openssl pkey -pubout` writes).
public struct SM2PublicKey: Sendable {
    let handle: SM2KeyHandle

    init(handle: SM2KeyHandle) { self.handle = handle }

    /// Loads a PEM public key; throws ``SM2Error/notAnSM2Key(what:)`` for anything else.
    public init(pem: String) throws { handle = try .load(pem: pem, isPrivate: false, what: "public key") }

    /// True when `signature` (DER) is a valid SM2 signature of `message` under this key and user id.
    public func verify(_ signature: [UInt8], of message: [UInt8], userID: String = SM2UserID.default) -> Bool {
        handle.verify(signature, of: message, userID: userID)
    }

    /// The key as SubjectPublicKeyInfo PEM.
    public var pem: String { handle.publicPEM() }
}
