/// The identifier schemes the registry understands.
///
/// ```swift
/// IdentifierScheme.uscc.title          // "USCC"
/// IdentifierScheme.residentID.rawValue // "resident_id"
/// ```
public enum IdentifierScheme: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Unified social credit code (统一社会信用代码), GB 32100-2015, 18 characters.
    case uscc
    /// Organisation code (组织机构代码), GB 11714-1997, 9 characters.
    case organizationCode = "organization_code"
    /// Business registration number (工商注册号), GS15-2006, 15 digits.
    case registrationNumber = "registration_number"
    /// Resident identity number (公民身份号码), GB 11643-1999, 18 characters.
    case residentID = "resident_id"
    /// The 15-digit resident identity number of GB 11643-1989 (no check digit).
    case residentID15 = "resident_id_15"

    /// A short human-readable name.
    public var title: String {
        switch self {
        case .uscc: "USCC"
        case .organizationCode: "organisation code"
        case .registrationNumber: "registration number"
        case .residentID: "resident ID"
        case .residentID15: "15-digit resident ID"
        }
    }

    /// The Chinese name.
    public var chineseName: String {
        switch self {
        case .uscc: "统一社会信用代码"
        case .organizationCode: "组织机构代码"
        case .registrationNumber: "工商注册号"
        case .residentID: "公民身份号码"
        case .residentID15: "公民身份号码（15位）"
        }
    }

    /// The normalised length of a value of this scheme.
    public var length: Int {
        switch self {
        case .uscc, .residentID: 18
        case .organizationCode: 9
        case .registrationNumber, .residentID15: 15
        }
    }

    public var description: String { rawValue }
}
