/// The registration authority of a USCC (登记管理部门代码, position 1), GB 32100-2015.
///
/// ```swift
/// let a = RegistrationAuthority(code: "9")   // .marketRegulation
/// a?.name                                    // "工商"
/// a?.categories.map(\.name)                  // ["企业", "个体工商户", "农民专业合作社"]
/// ```
public enum RegistrationAuthority: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case staffing = "1"
    case foreignAffairs = "2"
    case justice = "3"
    case culture = "4"
    case civilAffairs = "5"
    case tourism = "6"
    case religiousAffairs = "7"
    case tradeUnion = "8"
    case marketRegulation = "9"
    case militaryStaffing = "A"
    case agriculture = "N"
    case other = "Y"

    /// The authority of a position-1 character, or nil for an unknown code.
    public init?(code: Character) {
        guard let a = code.asciiValue.flatMap(RegistrationAuthority.init(byte:)) else { return nil }
        self = a
    }

    @inline(__always)
    init?(byte: UInt8) {
        switch byte {
        case UInt8(ascii: "1"): self = .staffing
        case UInt8(ascii: "2"): self = .foreignAffairs
        case UInt8(ascii: "3"): self = .justice
        case UInt8(ascii: "4"): self = .culture
        case UInt8(ascii: "5"): self = .civilAffairs
        case UInt8(ascii: "6"): self = .tourism
        case UInt8(ascii: "7"): self = .religiousAffairs
        case UInt8(ascii: "8"): self = .tradeUnion
        case UInt8(ascii: "9"): self = .marketRegulation
        case UInt8(ascii: "A"): self = .militaryStaffing
        case UInt8(ascii: "N"): self = .agriculture
        case UInt8(ascii: "Y"): self = .other
        default: return nil
        }
    }

    /// The position-1 character.
    public var code: Character { Character(rawValue) }

    var byte: UInt8 { rawValue.utf8.first ?? 0 }

    /// The Chinese name as in the published table, e.g. "工商".
    public var name: String {
        switch self {
        case .staffing: "机构编制"
        case .foreignAffairs: "外交"
        case .justice: "司法行政"
        case .culture: "文化"
        case .civilAffairs: "民政"
        case .tourism: "旅游"
        case .religiousAffairs: "宗教"
        case .tradeUnion: "工会"
        case .marketRegulation: "工商"
        case .militaryStaffing: "中央军委改革和编制办公室"
        case .agriculture: "农业"
        case .other: "其他"
        }
    }

    /// An English name.
    public var englishName: String {
        switch self {
        case .staffing: "establishment (staffing) office"
        case .foreignAffairs: "foreign affairs"
        case .justice: "justice administration"
        case .culture: "culture"
        case .civilAffairs: "civil affairs"
        case .tourism: "tourism"
        case .religiousAffairs: "religious affairs"
        case .tradeUnion: "trade unions"
        case .marketRegulation: "market regulation (industry and commerce)"
        case .militaryStaffing: "CMC reform and staffing office"
        case .agriculture: "agriculture"
        case .other: "other"
        }
    }

    /// The category codes allowed at position 2 under this authority, in order.
    var categoryCodes: [UInt8] {
        switch self {
        case .staffing: Array("1239".utf8)
        case .foreignAffairs: Array("19".utf8)
        case .justice: Array("123459".utf8)
        case .culture: Array("19".utf8)
        case .civilAffairs: Array("1239".utf8)
        case .tourism: Array("129".utf8)
        case .religiousAffairs: Array("129".utf8)
        case .tradeUnion: Array("19".utf8)
        case .marketRegulation: Array("123".utf8)
        case .militaryStaffing: Array("19".utf8)
        case .agriculture: Array("1239".utf8)
        case .other: Array("1".utf8)
        }
    }

    /// Whether `byte` is an allowed position-2 code under this authority (no allocation).
    @inline(__always)
    func allows(category byte: UInt8) -> Bool {
        switch self {
        case .staffing, .civilAffairs, .agriculture:
            return byte == 0x31 || byte == 0x32 || byte == 0x33 || byte == 0x39
        case .foreignAffairs, .culture, .tradeUnion, .militaryStaffing:
            return byte == 0x31 || byte == 0x39
        case .justice:
            return (byte >= 0x31 && byte <= 0x35) || byte == 0x39
        case .tourism, .religiousAffairs:
            return byte == 0x31 || byte == 0x32 || byte == 0x39
        case .marketRegulation:
            return byte >= 0x31 && byte <= 0x33
        case .other:
            return byte == 0x31
        }
    }

    /// The categories allowed under this authority.
    public var categories: [OrganizationCategory] {
        categoryCodes.compactMap { OrganizationCategory(authority: self, byte: $0) }
    }

    public var description: String { "\(rawValue) \(name)" }
}
