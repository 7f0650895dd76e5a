import CreditTestSupport
import Foundation
import SMCrypto
import Testing

/// Our SM2/SM3 against the `openssl` tool: each side verifies the other's signatures, with the
/// default user id and another one.
@Suite struct SM2DifferentialTests {
    let scratch: TemporaryDirectory
    init() throws { scratch = try TemporaryDirectory("sm2") }

    func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    @Test func sm3MatchesTheStandardVectorAndOpenSSL() throws {
        // GB/T 32905 appendix A, example 1.
        #expect(SM3.hex(Array("abc".utf8)) == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")
        let message = scratch.path("message.bin")
        let bytes = (0..<1_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try Data(bytes).write(to: URL(fileURLWithPath: message))
        let output = try OpenSSLTool.run(["dgst", "-sm3", "-r", message]).output
        #expect(output.hasPrefix(SM3.hex(bytes)))
    }

    @Test(arguments: [SM2UserID.default, "city-platform@350200"])
    func openSSLVerifiesOurSignatures(userID: String) throws {
        let (keyPath, pubPath) = try OpenSSLTool.makeKeyPair(in: scratch, name: "city")
        let key = try SM2PrivateKey(pem: try text(keyPath))
        let message = Array("{\"kind\":\"list-entry\",\"subject\":\"91350200MA2XH1K70Y\"} 中文".utf8)
        let signature = try key.sign(message, userID: userID)
        let messagePath = scratch.path("m.bin"), signaturePath = scratch.path("m.sig")
        try Data(message).write(to: URL(fileURLWithPath: messagePath))
        try Data(signature).write(to: URL(fileURLWithPath: signaturePath))
        let verify = ["pkeyutl", "-verify", "-pubin", "-inkey", pubPath, "-rawin", "-digest", "sm3",
                      "-pkeyopt", "distid:\(userID)", "-in", messagePath, "-sigfile", signaturePath]
        let good = try OpenSSLTool.run(verify, allowFailure: true)
        #expect(good.status == 0, "\(good.output)")
        #expect(good.output.contains("Signature Verified Successfully"))

        // Another user id, or a changed message, must not verify.
        var other = verify
        other[other.firstIndex(of: "distid:\(userID)")!] = "distid:someone-else"
        #expect(try OpenSSLTool.run(other, allowFailure: true).status != 0)
        try Data(message + [0x20]).write(to: URL(fileURLWithPath: messagePath))
        #expect(try OpenSSLTool.run(verify, allowFailure: true).status != 0)
    }

    @Test(arguments: [SM2UserID.default, "city-platform@350200"])
    func weVerifyOpenSSLSignatures(userID: String) throws {
        let (keyPath, pubPath) = try OpenSSLTool.makeKeyPair(in: scratch, name: "national")
        let message = Array("national list page 7".utf8)
        let messagePath = scratch.path("n.bin"), signaturePath = scratch.path("n.sig")
        try Data(message).write(to: URL(fileURLWithPath: messagePath))
        try OpenSSLTool.run(["pkeyutl", "-sign", "-inkey", keyPath, "-rawin", "-digest", "sm3",
                             "-pkeyopt", "distid:\(userID)", "-in", messagePath, "-out", signaturePath])
        let signature = Array(try Data(contentsOf: URL(fileURLWithPath: signaturePath)))
        let pub = try SM2PublicKey(pem: try text(pubPath))
        #expect(pub.verify(signature, of: message, userID: userID))
        #expect(!pub.verify(signature, of: message, userID: SM2UserID.default + "x"))
        #expect(!pub.verify(signature, of: Array("national list page 8".utf8), userID: userID))
        var flipped = signature
        flipped[flipped.count - 1] ^= 0x01
        #expect(!pub.verify(flipped, of: message, userID: userID))
        #expect(!pub.verify([], of: message, userID: userID))
    }

    @Test func ownKeyRoundTripsAndPublicPEMMatchesOpenSSL() throws {
        let (keyPath, pubPath) = try OpenSSLTool.makeKeyPair(in: scratch, name: "own")
        let key = try SM2PrivateKey(pem: try text(keyPath))
        #expect(key.publicKey.pem == (try text(pubPath)))
        let signature = try key.sign(Array("x".utf8))
        #expect(try SM2PublicKey(pem: try text(pubPath)).verify(signature, of: Array("x".utf8)))
    }

    @Test func refusesKeysThatAreNotSM2() throws {
        let rsa = scratch.path("rsa.key"), p256 = scratch.path("p256.key")
        try OpenSSLTool.run(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out", rsa])
        try OpenSSLTool.run(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", p256])
        #expect(throws: SM2Error.notAnSM2Key(what: "private key")) { try SM2PrivateKey(pem: try text(rsa)) }
        #expect(throws: SM2Error.notAnSM2Key(what: "private key")) { try SM2PrivateKey(pem: try text(p256)) }
        #expect(throws: SM2Error.notAnSM2Key(what: "public key")) { try SM2PublicKey(pem: "not a key") }
        #expect(throws: SM2Error.notAnSM2Key(what: "private key")) { try SM2PrivateKey(pem: "") }
    }
}
