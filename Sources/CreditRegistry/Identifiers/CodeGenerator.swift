/// Deterministic generator of valid identifiers (and corrupted variants) for tests, samples
/// and benchmarks. The same seed gives the same sequence.
///
/// ```swift
/// var gen = CodeGenerator(seed: 7)
/// let code = gen.creditCode()                                   // any allowed pair
/// let shop = gen.creditCode(category: OrganizationCategory(authority: .marketRegulation, code: "2"))
/// let id = gen.residentID()
/// let typo = gen.corrupt(code.description)                     // one random edit
/// ```
public struct CodeGenerator: Sendable {
    public var random: SeededRandom

    public init(seed: UInt64) { random = SeededRandom(seed: seed) }

    /// Kinds of corruption ``corrupt(_:)`` applies.
    public enum Corruption: String, Sendable, CaseIterable {
        /// Replace one character by another one of the scheme's alphabet.
        case substitute
        /// Swap two adjacent, different characters.
        case transpose
        /// Drop one character.
        case delete
        /// Insert one character.
        case insert
    }

    private static let usccSymbols = Checksum.usccAlphabet
    private static let alphanumerics: [UInt8] = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)

    private mutating func int(_ range: Range<Int>) -> Int { Int.random(in: range, using: &random) }

    private mutating func pick(_ bytes: [UInt8]) -> UInt8 { bytes[int(0..<bytes.count)] }

    /// A random division code: a mainland province, a prefecture 01-20 and a county 00-30;
    /// with `allowNational`, `100000` one time in 20.
    public mutating func division(allowNational: Bool = false) -> DivisionCode {
        if allowNational && int(0..<20) == 0 { return DivisionCode(digits: 100_000) }
        let provinces = Province.mainland
        let p = provinces[int(0..<provinces.count)].code
        return DivisionCode(digits: p * 10_000 + int(1..<21) * 100 + int(0..<31))
    }

    private mutating func appendDivision(_ p: inout PackedASCII, allowNational: Bool) {
        for b in division(allowNational: allowNational).description.utf8 { p.append(b) }
    }

    /// A valid USCC with the given category (or a random one of ``OrganizationCategory/all``),
    /// a random division code and subject identifier, whose embedded organisation code passes
    /// its GB 11714 check.
    public mutating func creditCode(category: OrganizationCategory? = nil) -> CreditCode {
        let all = OrganizationCategory.all
        let cat = category ?? all[int(0..<all.count)]
        var p = PackedASCII()
        p.append(cat.authority.byte)
        p.append(cat.byte)
        appendDivision(&p, allowNational: true)
        for _ in 0..<8 { p.append(pick(Self.usccSymbols)) }
        p.append(Checksum.organizationCheck(p, offset: 8))
        p.append(Checksum.usccCheck(p))
        return CreditCode(unchecked: p)
    }

    /// A valid organisation code (body characters 0-9 and A-Z).
    public mutating func organizationCode() -> OrganizationCode {
        var p = PackedASCII()
        for _ in 0..<8 { p.append(pick(Self.alphanumerics)) }
        p.append(Checksum.organizationCheck(p, offset: 0))
        return OrganizationCode(unchecked: p)
    }

    /// A valid registration number.
    public mutating func registrationNumber() -> RegistrationNumber {
        var p = PackedASCII()
        appendDivision(&p, allowNational: true)
        for _ in 0..<8 { p.append(UInt8(truncatingIfNeeded: int(0..<10)) + 0x30) }
        p.append(Checksum.mod11_10Check(p))
        return RegistrationNumber(unchecked: p)
    }

    /// A valid 18-character resident ID with the given address code (default: random), born
    /// between `born` (default 1930-01-01...2015-12-31), of the given sex (default: random).
    public mutating func residentID(division: DivisionCode? = nil, born: ClosedRange<Day>? = nil,
                                    sex: ResidentID.Sex? = nil) -> ResidentID {
        let range = born ?? (Day(year: 1930, month: 1, day: 1) ?? Day(ordinal: 0))...(Day(year: 2015, month: 12, day: 31) ?? Day(ordinal: 0))
        let birth = Day(ordinal: Int.random(in: range.lowerBound.ordinal...range.upperBound.ordinal, using: &random))
        var seq = int(0..<1000)
        if let sex, (seq % 2 == 1) != (sex == .male) { seq = (seq + 1) % 1000 }
        var p = PackedASCII()
        if let division {
            for b in division.description.utf8 { p.append(b) }
        } else {
            appendDivision(&p, allowNational: false)
        }
        let (y, m, d) = birth.parts
        let digits = String(y * 10_000 + m * 100 + d)
        for b in String(repeating: "0", count: max(0, 8 - digits.count)).utf8 { p.append(b) }
        for b in digits.utf8 { p.append(b) }
        p.append(UInt8(seq / 100) + 0x30)
        p.append(UInt8(seq / 10 % 10) + 0x30)
        p.append(UInt8(seq % 10) + 0x30)
        p.append(Checksum.residentCheck(p))
        return ResidentID(unchecked: p)
    }

    /// A valid 15-digit legacy resident ID (born 1930-1999), as text.
    public mutating func legacyResidentID() -> String {
        let born = (Day(year: 1930, month: 1, day: 1) ?? Day(ordinal: 0))...(Day(year: 1999, month: 12, day: 31) ?? Day(ordinal: 0))
        let id = residentID(born: born)
        return id.bytes.slice(0..<6).string + id.bytes.slice(8..<17).string
    }

    /// `text` with one random edit (``Corruption``). Substituted and inserted characters come
    /// from the 36 digits and capital letters; the result always differs from `text`.
    public mutating func corrupt(_ text: String, using kind: Corruption? = nil) -> String {
        var b = Array(text.utf8)
        guard b.count >= 2 else { return text + "0" }
        let k = kind ?? [.substitute, .substitute, .substitute, .transpose, .delete, .insert][int(0..<6)]
        switch k {
        case .substitute:
            let i = int(0..<b.count)
            var c = pick(Self.alphanumerics)
            while c == b[i] { c = pick(Self.alphanumerics) }
            b[i] = c
        case .transpose:
            var i = int(0..<b.count - 1)
            var tries = 0
            while b[i] == b[i + 1] && tries < b.count { i = (i + 1) % (b.count - 1); tries += 1 }
            if b[i] == b[i + 1] { return corrupt(text, using: .substitute) }
            b.swapAt(i, i + 1)
        case .delete:
            b.remove(at: int(0..<b.count))
        case .insert:
            b.insert(pick(Self.alphanumerics), at: int(0..<b.count + 1))
        }
        return String(decoding: b, as: UTF8.self)
    }
}
