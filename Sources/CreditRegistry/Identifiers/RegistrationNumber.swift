/// A business registration number (工商注册号), GS15-2006: 15 digits — the six-digit division
/// code of the first registering authority (100000 for the national administration), an
/// eight-digit sequence and an ISO 7064 MOD 11,10 check digit.
///
/// ```swift
/// let rn = try RegistrationNumber(validating: "110108000000016")
/// rn.division.description   // "110108"
/// ```
public struct RegistrationNumber: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    let bytes: PackedASCII

    /// Parses and validates a registration number.
    ///
    /// - Throws: ``IdentifierError`` naming the length, a non-digit and its position, or the
    ///   expected check digit.
    public init(validating text: String) throws(IdentifierError) {
        try self.init(normalized: NormalizedInput(text))
    }

    /// Parses UTF-8 bytes without creating a `String`.
    public init(validatingUTF8 utf8: UnsafeBufferPointer<UInt8>) throws(IdentifierError) {
        try self.init(normalized: NormalizedInput(utf8: utf8))
    }

    init(normalized n: NormalizedInput) throws(IdentifierError) {
        let scheme = IdentifierScheme.registrationNumber
        guard n.length > 0 else { throw IdentifierError(scheme: scheme, reason: .empty) }
        guard n.length == 15 else { throw IdentifierError(scheme: scheme, reason: .wrongLength(got: n.length, expected: [15])) }
        for i in 0..<15 where !Checksum.isDigit(n[i]) {
            throw IdentifierError(scheme: scheme, reason: .characterNotAllowed(n.character(at: i), position: i + 1, expected: .digit))
        }
        let expected = Checksum.mod11_10Check(n.bytes)
        guard expected == n[14] else {
            throw IdentifierError(scheme: scheme, reason: .wrongCheckCharacter(
                found: n.character(at: 14), expected: Character(Unicode.Scalar(expected)), position: 15))
        }
        bytes = n.bytes
    }

    init(unchecked bytes: PackedASCII) { self.bytes = bytes }

    /// True when `text` is a valid registration number.
    public static func isValid(_ text: String) -> Bool {
        (try? RegistrationNumber(validating: text)) != nil
    }

    /// The MOD 11,10 check digit for the first 14 digits, or nil when they are not 14 digits.
    public static func checkDigit(for first14: String) -> Character? {
        let n = NormalizedInput(first14)
        guard n.length == 14, n.isAllDigits else { return nil }
        return Character(Unicode.Scalar(Checksum.mod11_10Check(n.bytes)))
    }

    /// The division code of the first registering authority (digits 1-6).
    public var division: DivisionCode { DivisionCode(bytes, offset: 0) }

    /// The eight-digit sequence code (digits 7-14).
    public var sequence: String { bytes.slice(6..<14).string }

    /// Shape warnings about the division code.
    public var warnings: [IdentifierWarning] { division.warnings(scheme: .registrationNumber) }

    public var description: String { bytes.string }

    public static func < (a: RegistrationNumber, b: RegistrationNumber) -> Bool { PackedASCII.precedes(a.bytes, b.bytes) }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        do { try self.init(validating: s) } catch {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
