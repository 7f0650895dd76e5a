import CreditRegistry
import Foundation

/// Bearer tokens: generated with 256 random bits, stored only as their SHA-256 digest.
///
/// A plain SHA-256 (not a slow password hash) is enough because a generated token has 256 bits
/// of entropy: nobody can search that space from a stolen digest, while a slow hash would cost
/// every request (or the cache) milliseconds. Imported tokens are refused unless they look
/// random enough (``weakness(_:)``) for the same reason.
public enum AccessToken {
    /// A new token: `cct_` and 43 base64url characters (32 bytes from the system's CSPRNG).
    public static func generate() -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
        let b64 = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return "cct_" + b64
    }

    /// The stored form of a token.
    public static func digest(_ token: String) -> String { Digest.sha256Hex(token.utf8) }

    /// Why a token given from outside (an imported file) is too weak to accept, or nil: fewer than
    /// 24 characters, fewer than 10 distinct characters, or fewer than 3 kinds of character
    /// (lower case, upper case, digits, other) — each a sign of a made-up token.
    public static func weakness(_ token: String) -> String? {
        if token.count < 24 { return "shorter than 24 characters" }
        if Set(token).count < 10 { return "fewer than 10 distinct characters" }
        let classes = [token.contains { $0.isLowercase }, token.contains { $0.isUppercase }, token.contains { $0.isNumber },
                       token.contains { !$0.isLetter && !$0.isNumber }].filter { $0 }.count
        if classes < 2 { return "only one kind of character (mix letters, digits and symbols)" }
        return nil
    }
}
