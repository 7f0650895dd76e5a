/// An organisation code (组织机构代码), GB 11714-1997: 8 body characters (0-9, A-Z) and a check
/// character (0-9 or X), printed `XXXXXXXX-X`.
///
/// Check: weights 3, 7, 9, 10, 5, 8, 4, 2 over the body values (0-9, A=10 … Z=35);
/// C9 = 11 − (Σ mod 11), where 10 is written X and 11 is written 0.
///
/// ```swift
/// let oc = try OrganizationCode(validating: "M000100Y-4")
/// oc.description   // "M000100Y-4"
/// oc.compact       // "M000100Y4"
/// ```
public struct OrganizationCode: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    let bytes: PackedASCII

    /// Parses and validates an organisation code, with or without the hyphen.
    ///
    /// - Throws: ``IdentifierError`` naming the length, the offending character and its
    ///   position, or the expected check character.
    public init(validating text: String) throws(IdentifierError) {
        try self.init(normalized: NormalizedInput(text))
    }

    /// Parses UTF-8 bytes (e.g. a line of a file) without creating a `String`.
    public init(validatingUTF8 utf8: UnsafeBufferPointer<UInt8>) throws(IdentifierError) {
        try self.init(normalized: NormalizedInput(utf8: utf8))
    }

    init(normalized n: NormalizedInput) throws(IdentifierError) {
        let scheme = IdentifierScheme.organizationCode
        guard n.length > 0 else { throw IdentifierError(scheme: scheme, reason: .empty) }
        guard n.length == 9 else { throw IdentifierError(scheme: scheme, reason: .wrongLength(got: n.length, expected: [9])) }
        for i in 0..<8 where Checksum.orgValue(n[i]) == nil {
            throw IdentifierError(scheme: scheme, reason: .characterNotAllowed(n.character(at: i), position: i + 1, expected: .digitOrLetter))
        }
        let last = n[8]
        guard Checksum.isDigit(last) || last == UInt8(ascii: "X") else {
            throw IdentifierError(scheme: scheme, reason: .characterNotAllowed(n.character(at: 8), position: 9, expected: .digitOrX))
        }
        let expected = Checksum.organizationCheck(n.bytes, offset: 0)
        guard expected == last else {
            throw IdentifierError(scheme: scheme, reason: .wrongCheckCharacter(
                found: n.character(at: 8), expected: Character(Unicode.Scalar(expected)), position: 9))
        }
        bytes = n.bytes
    }

    init(unchecked bytes: PackedASCII) { self.bytes = bytes }

    /// The code of a USCC's positions 9-17 when they pass the GB 11714 check.
    init?(embeddedIn uscc: PackedASCII) {
        let body = uscc.slice(8..<17)
        guard Checksum.organizationCheck(body, offset: 0) == body[8] else { return nil }
        bytes = body
    }

    /// True when `text` is a valid organisation code.
    public static func isValid(_ text: String) -> Bool {
        (try? OrganizationCode(validating: text)) != nil
    }

    /// The GB 11714 check character for an 8-character body, or nil when the body is not
    /// 8 digits or capital letters.
    ///
    /// ```swift
    /// OrganizationCode.checkCharacter(forBody: "M000100Y")   // "4"
    /// ```
    public static func checkCharacter(forBody body: String) -> Character? {
        let n = NormalizedInput(body)
        guard n.length == 8, n.foreign == nil else { return nil }
        for i in 0..<8 where Checksum.orgValue(n[i]) == nil { return nil }
        return Character(Unicode.Scalar(Checksum.organizationCheck(n.bytes, offset: 0)))
    }

    /// The eight body characters.
    public var body: String { bytes.slice(0..<8).string }

    /// The check character.
    public var checkCharacter: Character { Character(Unicode.Scalar(bytes[8])) }

    /// The nine characters without the hyphen, as embedded in a USCC.
    public var compact: String { bytes.string }

    /// The printed form `XXXXXXXX-X`.
    public var description: String { body + "-" + String(checkCharacter) }

    public static func < (a: OrganizationCode, b: OrganizationCode) -> Bool { PackedASCII.precedes(a.bytes, b.bytes) }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        do { try self.init(validating: s) } catch {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(compact)
    }
}
