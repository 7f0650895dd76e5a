import CreditRegistry
import FeedIngest
/// Makes identifiers with correct check characters for generated sample data.
///
/// Deliberately separate from (and simpler than) the registry's identifier types: it only
/// *produces* codes. USCC: GB 32100 MOD 31 over the 31-symbol alphabet; positions 9-17 are a
/// GB 11714 organisation code with its own MOD 11 check; resident IDs: GB 11643 MOD 11-2.
enum SampleCodeMaker {
    static let alphabet: [UInt8] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)

    static func value(_ c: UInt8) -> Int {
        if c >= 48 && c <= 57 { return Int(c - 48) }
        return Int(c) - 55 // A=10 … Z=35 (GB 11714 body values)
    }

    /// The GB 11714 check character of an 8-character organisation-code body.
    static func organisationCheck(_ body: [UInt8]) -> UInt8 {
        let w = [3, 7, 9, 10, 5, 8, 4, 2]
        var s = 0
        for i in 0..<8 { s += value(body[i]) * w[i] }
        let c = 11 - s % 11
        return c == 10 ? UInt8(ascii: "X") : c == 11 ? UInt8(ascii: "0") : UInt8(48 + c)
    }

    /// A USCC from its first two characters, 6-digit division and 8-character organisation body.
    static func uscc(prefix: String, division: String, body: [UInt8]) -> String {
        var b = Array(prefix.utf8) + Array(division.utf8) + body
        b.append(organisationCheck(body))
        var s = 0
        var w = 1
        for c in b {
            let v = alphabet.firstIndex(of: c) ?? 0
            s += v * w
            w = (w * 3) % 31
        }
        b.append(alphabet[(31 - s % 31) % 31])
        return String(decoding: b, as: UTF8.self)
    }

    /// An 18-character resident ID number from division, birth day (yyyyMMdd) and sequence (0-999).
    static func residentID(division: String, birth: String, sequence: Int) -> String {
        var b = Array(division.utf8) + Array(birth.utf8)
        let seq = String(sequence % 1000)
        b += Array(String(repeating: "0", count: 3 - seq.count).utf8) + Array(seq.utf8)
        let w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        var s = 0
        for i in 0..<17 { s += Int(b[i] - 48) * w[i] }
        b.append(Array("10X98765432".utf8)[s % 11])
        return String(decoding: b, as: UTF8.self)
    }

    /// A 15-digit business registration number (GS15, ISO 7064 MOD 11,10 check digit).
    static func registrationNumber(division: String, sequence: Int) -> String {
        let seq = String(sequence % 100_000_000)
        let digits = Array(division.utf8) + Array((String(repeating: "0", count: 8 - seq.count) + seq).utf8)
        var p = 10
        for d in digits {
            var s = (p + Int(d - 48)) % 10
            if s == 0 { s = 10 }
            p = (2 * s) % 11
        }
        return String(decoding: digits, as: UTF8.self) + String((11 - p) % 10)
    }

    /// Replaces the last character by another one of the alphabet: lexically fine, check fails.
    static func breakingCheck(_ code: String) -> String {
        var b = Array(code.utf8)
        guard let last = b.last else { return code }
        b[b.count - 1] = last == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        return String(decoding: b, as: UTF8.self)
    }
}
