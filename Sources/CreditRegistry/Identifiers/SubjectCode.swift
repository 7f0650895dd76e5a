/// The registry key of a subject: a USCC for an organisation or individual business, an
/// 18-character resident ID for a natural person.
///
/// ```swift
/// let org = try SubjectCode.parse("91350100M000100Y43")
/// org.key        // "91350100M000100Y43"
/// let person = try SubjectCode.parse("110105491231002")   // 15 digits, converted
/// person.key     // "11010519491231002X"
/// ```
public enum SubjectCode: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    case creditCode(CreditCode)
    case resident(ResidentID)

    /// Parses a subject code: 18 characters (USCC or resident ID, the plausible one as ranked
    /// by ``IdentifierDetector``) or a 15-digit resident ID (converted to 18).
    ///
    /// - Throws: the ``IdentifierError`` of the most plausible reading.
    public static func parse(_ text: String, options: CreditCode.Options = [], today: Day = .today()) throws(IdentifierError) -> SubjectCode {
        try parse(normalized: NormalizedInput(text), options: options, today: today)
    }

    static func parse(normalized n: NormalizedInput, options: CreditCode.Options, today: Day) throws(IdentifierError) -> SubjectCode {
        if n.length == 15 {
            return .resident(try ResidentID(normalized: n, today: today))
        }
        guard n.length == 18 else {
            throw IdentifierError(scheme: n.length == 0 ? .uscc : nil,
                                  reason: n.length == 0 ? .empty : .wrongLength(got: n.length, expected: [18, 15]))
        }
        var first: Result<ParsedIdentifier, IdentifierError>?
        IdentifierDetector.candidates(n, options: options, today: today) { c in
            if first == nil { first = c.result }
        }
        switch first {
        case .success(.creditCode(let code)): return .creditCode(code)
        case .success(.residentID(let id)): return .resident(id)
        case .failure(let e): throw e
        default: throw IdentifierError(scheme: .uscc, reason: .wrongLength(got: n.length, expected: [18]))
        }
    }

    /// The registry key: the 18 characters.
    public var key: String {
        switch self {
        case .creditCode(let c): c.description
        case .resident(let r): r.description
        }
    }

    /// The scheme of the key.
    public var scheme: IdentifierScheme {
        switch self {
        case .creditCode: .uscc
        case .resident: .residentID
        }
    }

    public var description: String { key }

    public static func < (a: SubjectCode, b: SubjectCode) -> Bool { a.key < b.key }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        do { self = try SubjectCode.parse(s, options: .acceptLegacyChecksum) } catch {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(key)
    }
}
