/// An organisation category (机构类别代码, USCC position 2) under its registration authority:
/// one of the allowed (authority, category) pairs of GB 32100-2015.
///
/// The published table has 36 pairs (1→4, 2→2, 3→6, 4→2, 5→4, 6→3, 7→3, 8→2, 9→3, A→2, N→4,
/// Y→1); ``all`` lists them.
///
/// ```swift
/// let c = OrganizationCategory(authority: .marketRegulation, code: "2")
/// c?.name         // "个体工商户"
/// c?.pair         // "92"
/// ```
public struct OrganizationCategory: Sendable, Hashable, Codable, CustomStringConvertible {
    public let authority: RegistrationAuthority
    let byte: UInt8

    /// The category of `code` under `authority`, or nil when the pair is not allowed.
    public init?(authority: RegistrationAuthority, code: Character) {
        guard let b = code.asciiValue else { return nil }
        self.init(authority: authority, byte: b)
    }

    @inline(__always)
    init?(authority: RegistrationAuthority, byte: UInt8) {
        guard authority.allows(category: byte) else { return nil }
        self.authority = authority
        self.byte = byte
    }

    /// For a byte already checked by the parser.
    init(uncheckedAuthority authority: RegistrationAuthority, byte: UInt8) {
        self.authority = authority
        self.byte = byte
    }

    /// Every allowed pair, in table order.
    public static let all: [OrganizationCategory] = RegistrationAuthority.allCases.flatMap(\.categories)

    /// The position-2 character.
    public var code: Character { Character(Unicode.Scalar(byte)) }

    /// The two leading characters of a USCC with this category, e.g. "92".
    public var pair: String { String(authority.code) + String(code) }

    /// The Chinese name as in the published table, e.g. "企业".
    public var name: String {
        switch (authority, byte) {
        case (.staffing, 0x31): "机关"
        case (.staffing, 0x32): "事业单位"
        case (.staffing, 0x33): "中央编办直接管理机构编制的群众团体"
        case (.foreignAffairs, 0x31): "外国常驻新闻机构"
        case (.justice, 0x31): "律师执业机构"
        case (.justice, 0x32): "公证处"
        case (.justice, 0x33): "基层法律服务所"
        case (.justice, 0x34): "司法鉴定机构"
        case (.justice, 0x35): "仲裁委员会"
        case (.culture, 0x31): "外国在华文化中心"
        case (.civilAffairs, 0x31): "社会团体"
        case (.civilAffairs, 0x32): "民办非企业单位"
        case (.civilAffairs, 0x33): "基金会"
        case (.tourism, 0x31): "外国旅游部门常驻代表机构"
        case (.tourism, 0x32): "港澳台地区旅游部门常驻内地（大陆）代表机构"
        case (.religiousAffairs, 0x31): "宗教活动场所"
        case (.religiousAffairs, 0x32): "宗教院校"
        case (.tradeUnion, 0x31): "基层工会"
        case (.marketRegulation, 0x31): "企业"
        case (.marketRegulation, 0x32): "个体工商户"
        case (.marketRegulation, 0x33): "农民专业合作社"
        case (.militaryStaffing, 0x31): "军队事业单位"
        case (.agriculture, 0x31): "组级集体经济组织"
        case (.agriculture, 0x32): "村级集体经济组织"
        case (.agriculture, 0x33): "乡镇级集体经济组织"
        default: "其他"
        }
    }

    /// The registry's subject kind for this category.
    public var subjectKind: SubjectKind {
        switch (authority, byte) {
        case (.marketRegulation, 0x31): .enterprise
        case (.marketRegulation, 0x32): .individualBusiness
        case (.marketRegulation, 0x33): .farmersCooperative
        case (.staffing, 0x31): .governmentOrgan
        case (.staffing, 0x32), (.militaryStaffing, 0x31): .publicInstitution
        case (.staffing, 0x33), (.civilAffairs, _): .socialOrganisation
        default: .other
        }
    }

    public var description: String { "\(pair) \(authority.name)/\(name)" }

    private enum CodingKeys: String, CodingKey { case authority, category }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let a = try c.decode(RegistrationAuthority.self, forKey: .authority)
        let s = try c.decode(String.self, forKey: .category)
        guard let ch = s.first, s.count == 1, let v = OrganizationCategory(authority: a, code: ch) else {
            throw DecodingError.dataCorruptedError(forKey: .category, in: c,
                debugDescription: "category '\(s)' not allowed under authority '\(a.rawValue)'")
        }
        self = v
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(authority, forKey: .authority)
        try c.encode(String(code), forKey: .category)
    }
}
