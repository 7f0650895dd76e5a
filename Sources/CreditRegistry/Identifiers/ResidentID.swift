/// A resident identity number (公民身份号码), GB 11643-1999. A value is always a valid 18-character
/// number; the 15-digit form of GB 11643-1989 is accepted and converted.
///
/// Layout: digits 1-6 address code (GB/T 2260), 7-14 birth date `yyyyMMdd`, 15-17 sequence
/// (odd for men, even for women), 18 the ISO 7064 MOD 11-2 check character (0-9 or X).
///
/// The parser checks the length (18, or 15 for the legacy form), the characters, that the
/// birth date is a calendar date and not after `today`, and the check character. The address
/// code is only shape-checked (``warnings``): it is the code in force at registration, and
/// retired codes stay valid. A 15-digit number (`yyMMdd`, no check digit) becomes 18 digits by
/// inserting "19" before the year and appending the check character; ``legacyForm`` keeps it.
///
/// Equality, hashing and coding use the 18-character number only.
///
/// ```swift
/// let id = try ResidentID(validating: "11010519491231002X")
/// id.birthDate.description   // "1949-12-31"
/// id.sex                     // .female
/// id.masked                  // "110105********002X"
///
/// let old = try ResidentID(validating: "110105491231002")
/// old.description            // "11010519491231002X"
/// old.legacyForm             // "110105491231002"
/// ```
public struct ResidentID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public enum Sex: String, Sendable, Hashable, Codable {
        case male, female

        /// "男" or "女".
        public var chinese: String { self == .male ? "男" : "女" }
    }

    let bytes: PackedASCII
    /// True when parsed from the 15-digit form.
    public let isConvertedFromLegacyForm: Bool

    /// Parses and validates a resident ID (18 characters, or the 15-digit legacy form).
    ///
    /// - Parameter today: the day after which a birth date is "in the future" (default: today
    ///   in China).
    /// - Throws: ``IdentifierError``: wrong length, a character not allowed at a position, a
    ///   birth date that is no date or lies in the future, a wrong check character.
    public init(validating text: String, today: Day = .today()) throws(IdentifierError) {
        try self.init(normalized: NormalizedInput(text), today: today)
    }

    /// Parses UTF-8 bytes without creating a `String`.
    public init(validatingUTF8 utf8: UnsafeBufferPointer<UInt8>, today: Day = .today()) throws(IdentifierError) {
        try self.init(normalized: NormalizedInput(utf8: utf8), today: today)
    }

    init(normalized n: NormalizedInput, today: Day) throws(IdentifierError) {
        guard n.length > 0 else { throw IdentifierError(scheme: .residentID, reason: .empty) }
        if n.length == 15 {
            self.init(unchecked: try ResidentID.convertLegacy(n, today: today), legacy: true)
            return
        }
        let scheme = IdentifierScheme.residentID
        guard n.length == 18 else { throw IdentifierError(scheme: scheme, reason: .wrongLength(got: n.length, expected: [18, 15])) }
        for i in 0..<17 where !Checksum.isDigit(n[i]) {
            throw IdentifierError(scheme: scheme, reason: .characterNotAllowed(n.character(at: i), position: i + 1, expected: .digit))
        }
        let last = n[17]
        guard Checksum.isDigit(last) || last == UInt8(ascii: "X") else {
            throw IdentifierError(scheme: scheme, reason: .characterNotAllowed(n.character(at: 17), position: 18, expected: .digitOrX))
        }
        try ResidentID.checkBirthDate(n.bytes, offset: 6, century: nil, today: today, scheme: scheme)
        let expected = Checksum.residentCheck(n.bytes)
        guard expected == last else {
            throw IdentifierError(scheme: scheme, reason: .wrongCheckCharacter(
                found: n.character(at: 17), expected: Character(Unicode.Scalar(expected)), position: 18))
        }
        self.init(unchecked: n.bytes)
    }

    private static func convertLegacy(_ n: NormalizedInput, today: Day) throws(IdentifierError) -> PackedASCII {
        let scheme = IdentifierScheme.residentID15
        for i in 0..<15 where !Checksum.isDigit(n[i]) {
            throw IdentifierError(scheme: scheme, reason: .characterNotAllowed(n.character(at: i), position: i + 1, expected: .digit))
        }
        try ResidentID.checkBirthDate(n.bytes, offset: 6, century: 19, today: today, scheme: scheme)
        var p = PackedASCII()
        for i in 0..<6 { p.append(n[i]) }
        p.append(UInt8(ascii: "1"))
        p.append(UInt8(ascii: "9"))
        for i in 6..<15 { p.append(n[i]) }
        p.append(Checksum.residentCheck(p))
        return p
    }

    init(unchecked bytes: PackedASCII, legacy: Bool = false) {
        self.bytes = bytes
        isConvertedFromLegacyForm = legacy
    }

    private static func checkBirthDate(_ p: PackedASCII, offset: Int, century: Int?, today: Day,
                                       scheme: IdentifierScheme) throws(IdentifierError) {
        func num(_ from: Int, _ count: Int) -> Int {
            var v = 0
            for i in from..<from + count { v = v &* 10 &+ Int(p[i] &- 0x30) }
            return v
        }
        let yearDigits = century == nil ? 4 : 2
        let year = century.map { $0 * 100 + num(offset, 2) } ?? num(offset, 4)
        let month = num(offset + yearDigits, 2)
        let day = num(offset + yearDigits + 2, 2)
        guard let date = Day(year: year, month: month, day: day) else {
            throw IdentifierError(scheme: scheme, reason: .birthDateNotADate(p.slice(offset..<offset + yearDigits + 4).string))
        }
        guard date <= today else {
            throw IdentifierError(scheme: scheme, reason: .birthDateInFuture(date))
        }
    }

    /// True when `text` is a valid resident ID (18 or 15 digits).
    public static func isValid(_ text: String) -> Bool {
        (try? ResidentID(validating: text)) != nil
    }

    /// The MOD 11-2 check character for the first 17 digits, or nil when they are not 17 digits.
    ///
    /// ```swift
    /// ResidentID.checkCharacter(for: "11010519491231002")   // "X"
    /// ```
    public static func checkCharacter(for first17: String) -> Character? {
        let n = NormalizedInput(first17)
        guard n.length == 17, n.isAllDigits else { return nil }
        return Character(Unicode.Scalar(Checksum.residentCheck(n.bytes)))
    }

    /// The address code (digits 1-6).
    public var division: DivisionCode { DivisionCode(bytes, offset: 0) }

    /// The birth date (digits 7-14).
    public var birthDate: Day {
        var y = 0, m = 0, d = 0
        for i in 6..<10 { y = y * 10 + Int(bytes[i] - 0x30) }
        for i in 10..<12 { m = m * 10 + Int(bytes[i] - 0x30) }
        for i in 12..<14 { d = d * 10 + Int(bytes[i] - 0x30) }
        return Day(year: y, month: m, day: d) ?? Day(ordinal: 0)
    }

    /// The three-digit sequence code (digits 15-17).
    public var sequence: Int {
        Int(bytes[14] - 0x30) * 100 + Int(bytes[15] - 0x30) * 10 + Int(bytes[16] - 0x30)
    }

    /// The sex: odd sequence male, even female.
    public var sex: Sex { sequence % 2 == 1 ? .male : .female }

    /// The check character (position 18).
    public var checkCharacter: Character { Character(Unicode.Scalar(bytes[17])) }

    /// The 15-digit form when the number was given in it, else nil.
    public var legacyForm: String? {
        guard isConvertedFromLegacyForm else { return nil }
        var p = bytes.slice(0..<6)
        for i in 8..<17 { p.append(bytes[i]) }
        return p.string
    }

    /// The number with the birth date and sequence hidden: first 6 and last 4 shown,
    /// e.g. `110105********002X`.
    public var masked: String {
        var p = bytes
        for i in 6..<14 { p[i] = UInt8(ascii: "*") }
        return p.string
    }

    /// Shape warnings about the address code, and a birth year before 1900.
    public var warnings: [IdentifierWarning] {
        var w = division.warnings(scheme: .residentID)
        let year = birthDate.year
        if year < 1900 { w.append(IdentifierWarning(scheme: .residentID, reason: .birthYearBefore1900(year))) }
        return w
    }

    /// The registry key: the 18-character number.
    public var description: String { bytes.string }

    public static func == (a: ResidentID, b: ResidentID) -> Bool { a.bytes == b.bytes }
    public func hash(into h: inout Hasher) { h.combine(bytes) }
    public static func < (a: ResidentID, b: ResidentID) -> Bool { PackedASCII.precedes(a.bytes, b.bytes) }

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
