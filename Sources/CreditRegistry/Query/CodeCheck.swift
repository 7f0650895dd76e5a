/// The seam through which the batch check validates codes: normalises a code as typed and says
/// whether it is valid and, if not, why.
///
/// ``builtIn`` is a self-contained default (USCC MOD 31, resident ID MOD 11-2, organisation
/// code MOD 11, 15-digit legacy identifiers accepted as they have no check digit we can verify);
/// the integrator swaps in the registry's full validator:
///
/// ```swift
/// let check = CodeCheck { text in
///     let n = IdentifierText.normalise(text)
///     return (n, n.count == 18, n.count == 18 ? nil : "length \(n.count)")
/// }
/// check("9135 0100 M000 100Y 43").normalised   // "91350100M000100Y43"
/// ```
public struct CodeCheck: Sendable {
    public typealias Result = (normalised: String, valid: Bool, reason: String?)
    private let body: @Sendable (String) -> Result

    public init(_ body: @escaping @Sendable (String) -> Result) { self.body = body }

    public func callAsFunction(_ text: String) -> Result { body(text) }

    /// The built-in validator (see the type's summary).
    public static let builtIn = CodeCheck { text in
        let n = fastNormalise(text)
        let why = reason(for: n)
        return (n, why == nil, why)
    }

    /// ``IdentifierText/normalise(_:)``, skipped when the text is already digits and capitals.
    static func fastNormalise(_ text: String) -> String {
        var clean = true
        for b in text.utf8 where !((b >= 48 && b <= 57) || (b >= 65 && b <= 90)) { clean = false; break }
        return clean ? text : IdentifierText.normalise(text)
    }

    /// USCC alphabet (GB 32100-2015): digits and capitals without I, O, S, V, Z.
    static let usccAlphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)
    static let usccValue: [Int] = {
        var t = [Int](repeating: -1, count: 128)
        for (i, c) in usccAlphabet.enumerated() { t[Int(c)] = i }
        return t
    }()
    static let usccWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    static let residentWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let residentCheck = Array("10X98765432".utf8)
    static let orgWeights = [3, 7, 9, 10, 5, 8, 4, 2]

    /// Why a normalised code is not valid, or nil when it is.
    public static func reason(for n: String) -> String? {
        let u = Array(n.utf8)
        func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
        switch u.count {
        case 0:
            return "blank code"
        case 18:
            let personShaped = u[0..<17].allSatisfy(isDigit) && (isDigit(u[17]) || u[17] == UInt8(ascii: "X"))
            if let expect = usccCheckDigit(u), expect == u[17] { return nil }
            if personShaped, residentCheckDigit(u) == u[17] { return nil }
            if personShaped && hasBirthDate(u) {
                return "resident ID check digit is \(Character(Unicode.Scalar(u[17]))), expected \(Character(Unicode.Scalar(residentCheckDigit(u))))"
            }
            if let bad = u.first(where: { Int($0) >= 128 || usccValue[Int($0)] < 0 }) {
                return "character '\(Character(Unicode.Scalar(bad)))' is not in the code alphabet (no I, O, S, V, Z)"
            }
            if let expect = usccCheckDigit(u) {
                return "check digit is \(Character(Unicode.Scalar(u[17]))), expected \(Character(Unicode.Scalar(expect)))"
            }
            return "not a valid code"
        case 15:
            return u.allSatisfy(isDigit) ? nil : "15 characters but not all digits (legacy registration number or resident ID)"
        case 9:
            return organisationCodeReason(u)
        default:
            if u.contains(where: { $0 >= 128 }) { return "contains characters that are not part of a code" }
            return "length \(u.count): expected 18 characters (USCC or resident ID), 15 or 9 for legacy identifiers"
        }
    }

    /// True when characters 7–14 read as a birth date (yyyyMMdd, 1900–2099): an 18-digit text
    /// that fails both checks is then reported as a resident ID.
    static func hasBirthDate(_ u: [UInt8]) -> Bool {
        func num(_ r: Range<Int>) -> Int { r.reduce(0) { $0 * 10 + Int(u[$1] &- 48) } }
        let y = num(6..<10), m = num(10..<12), d = num(12..<14)
        return (1900...2099).contains(y) && Day(year: y, month: m, day: d) != nil
    }

    /// The USCC check character for the first 17 characters, or nil if one is outside the alphabet.
    static func usccCheckDigit(_ u: [UInt8]) -> UInt8? {
        var sum = 0
        for i in 0..<17 {
            guard Int(u[i]) < 128, case let v = usccValue[Int(u[i])], v >= 0 else { return nil }
            sum += v * usccWeights[i]
        }
        return usccAlphabet[(31 - sum % 31) % 31]
    }

    /// The resident ID check character (MOD 11-2) for 17 digits.
    static func residentCheckDigit(_ u: [UInt8]) -> UInt8 {
        var sum = 0
        for i in 0..<17 { sum += Int(u[i] &- 48) * residentWeights[i] }
        return residentCheck[sum % 11]
    }

    /// GB 11714 organisation code: 8 digits or capitals and a MOD 11 check character.
    static func organisationCodeReason(_ u: [UInt8]) -> String? {
        var sum = 0
        for i in 0..<8 {
            let b = u[i]
            let v: Int
            if b >= 48 && b <= 57 { v = Int(b - 48) } else if b >= 65 && b <= 90 { v = Int(b - 55) } else {
                return "organisation code contains '\(Character(Unicode.Scalar(b)))'"
            }
            sum += v * orgWeights[i]
        }
        let c = 11 - sum % 11
        let expect: UInt8 = c == 10 ? UInt8(ascii: "X") : c == 11 ? UInt8(ascii: "0") : UInt8(48 + c)
        return expect == u[8] ? nil : "organisation code check digit is \(Character(Unicode.Scalar(u[8]))), expected \(Character(Unicode.Scalar(expect)))"
    }
}
