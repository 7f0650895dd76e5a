/// A unified social credit code (统一社会信用代码, USCC), GB 32100-2015. A value of this type
/// is always a valid code.
///
/// Layout: position 1 registration authority, 2 organisation category, 3-8 division code of
/// the registering authority, 9-17 the GB 11714 organisation code, 18 the check character.
///
/// What the parser checks, in order (the first failure is thrown):
/// 1. length 18 after normalisation (full-width forms, lower case, spaces and hyphens are
///    accepted; see ``IdentifierDetector``);
/// 2. characters: positions 1-2 and 9-18 in the 31-symbol set (0-9, A-Z without I O S V Z),
///    positions 3-8 digits;
/// 3. position 1 one of the 12 authority codes, and (1, 2) one of the allowed pairs
///    (``OrganizationCategory/all``);
/// 4. the check character: MOD 31 with weights 3^(i−1) mod 31, `(31 − Σ mod 31) mod 31`. A
///    mismatch is an error unless ``Options/acceptLegacyChecksum`` is given, in which case the
///    code is kept as a legacy code with a warning (genuine pre-2016 Xiamen codes fail it);
/// 5. the embedded organisation code's GB 11714 check (positions 9-17): an **error for `91`**
///    (enterprises, which all held GB 11714 codes before 2015 and whose real codes all pass),
///    a **warning for every other pair** — individual businesses (92), cooperatives (93),
///    rural collectives (N…) and other categories got subject identifiers from allocated code
///    segments, and no source confirms that those always carry a GB 11714 check character.
///
/// Never errors, only ``warnings``: a province prefix that is not a province (unknown prefixes
/// are a warning because a registry must not lose a real code over an incomplete table), 71/81/
/// 82, odd county shapes, and the cases of steps 4 and 5 above.
///
/// ```swift
/// let code = try CreditCode(validating: "91350100M000100Y43")
/// code.authority.name            // "工商"
/// code.category.name             // "企业"
/// code.division.description      // "350100"
/// code.organizationCode?.description  // "M000100Y-4"
///
/// let legacy = try CreditCode(validating: "91350203M0001QKT19", options: .acceptLegacyChecksum)
/// legacy.hasLegacyChecksum       // true
/// ```
public struct CreditCode: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Parsing options.
    public struct Options: OptionSet, Sendable, Hashable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// Accept a wrong check character (position 18) as a legacy code, with a warning.
        public static let acceptLegacyChecksum = Options(rawValue: 1)
    }

    let bytes: PackedASCII

    /// Parses and validates a USCC.
    ///
    /// - Parameters:
    ///   - text: the code as typed; full-width forms, lower case, spaces and hyphens are accepted.
    ///   - options: `.acceptLegacyChecksum` to keep codes whose check character is wrong.
    /// - Throws: ``IdentifierError`` saying what is wrong and at which position.
    public init(validating text: String, options: Options = []) throws(IdentifierError) {
        try self.init(normalized: NormalizedInput(text), options: options)
    }

    /// Parses UTF-8 bytes (e.g. a line of a file) without creating a `String`.
    public init(validatingUTF8 utf8: UnsafeBufferPointer<UInt8>, options: Options = []) throws(IdentifierError) {
        try self.init(normalized: NormalizedInput(utf8: utf8), options: options)
    }

    init(normalized n: NormalizedInput, options: Options) throws(IdentifierError) {
        let scheme = IdentifierScheme.uscc
        guard n.length > 0 else { throw IdentifierError(scheme: scheme, reason: .empty) }
        guard n.length == 18 else { throw IdentifierError(scheme: scheme, reason: .wrongLength(got: n.length, expected: [18])) }
        var sum = 0
        var weight = 1   // 3^i mod 31
        for i in 0..<18 {
            let b = n[i]
            if i >= 2 && i < 8 {
                guard Checksum.isDigit(b) else {
                    throw IdentifierError(scheme: scheme, reason: .characterNotAllowed(n.character(at: i), position: i + 1, expected: .digit))
                }
                sum &+= Int(b &- 0x30) &* weight
            } else {
                guard let v = Checksum.usccValue(b) else {
                    throw IdentifierError(scheme: scheme, reason: .characterNotAllowed(n.character(at: i), position: i + 1, expected: .usccSymbol))
                }
                if i < 17 { sum &+= v &* weight }
            }
            weight = weight &* 3 % 31
        }
        guard let authority = RegistrationAuthority(byte: n[0]) else {
            throw IdentifierError(scheme: scheme, reason: .unknownAuthority(n.character(at: 0)))
        }
        guard authority.allows(category: n[1]) else {
            throw IdentifierError(scheme: scheme, reason: .categoryNotAllowed(category: n.character(at: 1), authority: authority))
        }
        let check = Checksum.usccAlphabet[(31 &- sum % 31) % 31]
        if check != n[17] && !options.contains(.acceptLegacyChecksum) {
            throw IdentifierError(scheme: scheme, reason: .wrongCheckCharacter(
                found: n.character(at: 17), expected: Character(Unicode.Scalar(check)), position: 18))
        }
        if authority == .marketRegulation && n[1] == UInt8(ascii: "1") {
            let orgCheck = Checksum.organizationCheck(n.bytes, offset: 8)
            if orgCheck != n[16] {
                throw IdentifierError(scheme: scheme, reason: .organizationCodeCheck(
                    found: n.character(at: 16), expected: Character(Unicode.Scalar(orgCheck))))
            }
        }
        bytes = n.bytes
    }

    init(unchecked bytes: PackedASCII) { self.bytes = bytes }

    /// True when `text` is a valid USCC (strict check character).
    public static func isValid(_ text: String) -> Bool {
        (try? CreditCode(validating: text)) != nil
    }

    /// The check character for the first 17 characters, or nil when they are not 17 symbols of
    /// the 31-symbol set.
    ///
    /// ```swift
    /// CreditCode.checkCharacter(for: "91350100M000100Y4")   // "3"
    /// ```
    public static func checkCharacter(for first17: String) -> Character? {
        let n = NormalizedInput(first17)
        guard n.length == 17, n.foreign == nil else { return nil }
        for i in 0..<17 where Checksum.usccValue(n[i]) == nil { return nil }
        return Character(Unicode.Scalar(Checksum.usccCheck(n.bytes)))
    }

    /// The registration authority (position 1), e.g. `.marketRegulation` ("工商").
    public var authority: RegistrationAuthority {
        RegistrationAuthority(byte: bytes[0]) ?? .other
    }

    /// The organisation category (position 2) under ``authority``, e.g. "企业".
    public var category: OrganizationCategory {
        OrganizationCategory(uncheckedAuthority: authority, byte: bytes[1])
    }

    /// The registry's subject kind implied by the category.
    public var subjectKind: SubjectKind { category.subjectKind }

    /// The division code of the registering authority (positions 3-8).
    public var division: DivisionCode { DivisionCode(bytes, offset: 2) }

    /// Positions 9-17, the subject identifier, whether or not it passes the GB 11714 check.
    public var subjectIdentifier: String { bytes.slice(8..<17).string }

    /// The embedded organisation code (positions 9-17), or nil when it fails the GB 11714 check
    /// (possible for every pair but `91`; see the warnings).
    public var organizationCode: OrganizationCode? { OrganizationCode(embeddedIn: bytes) }

    /// The check character (position 18).
    public var checkCharacter: Character { Character(Unicode.Scalar(bytes[17])) }

    /// True when the check character is wrong and the code was accepted as a legacy code.
    public var hasLegacyChecksum: Bool { Checksum.usccCheck(bytes) != bytes[17] }

    /// Everything odd about the code; empty for an ordinary code.
    public var warnings: [IdentifierWarning] {
        let division = self.division
        let expected = Checksum.usccCheck(bytes)
        let orgExpected = Checksum.organizationCheck(bytes, offset: 8)
        if expected == bytes[17] && orgExpected == bytes[16] && division.isUnremarkable { return [] }
        var w: [IdentifierWarning] = []
        if expected != bytes[17] {
            w.append(IdentifierWarning(scheme: .uscc, reason: .legacyChecksum(
                found: checkCharacter, expected: Character(Unicode.Scalar(expected)))))
        }
        if orgExpected != bytes[16] {
            w.append(IdentifierWarning(scheme: .uscc, reason: .organizationCodeCheck(
                found: Character(Unicode.Scalar(bytes[16])), expected: Character(Unicode.Scalar(orgExpected)))))
        }
        w += division.warnings(scheme: .uscc)
        return w
    }

    /// The 18 characters.
    public var description: String { bytes.string }

    public static func < (a: CreditCode, b: CreditCode) -> Bool { PackedASCII.precedes(a.bytes, b.bytes) }

    /// Decodes a code from its string; legacy check characters are accepted, since a stored
    /// code was validated when it came in.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        do { try self.init(validating: s, options: .acceptLegacyChecksum) } catch {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
