/// A valid identifier of any scheme, as found by ``IdentifierDetector``.
///
/// ```swift
/// if case .creditCode(let code) = IdentifierDetector.detect("91350100M000100Y43").first?.identifier {
///     print(code.category.name)   // 企业
/// }
/// ```
public enum ParsedIdentifier: Sendable, Hashable, CustomStringConvertible {
    case creditCode(CreditCode)
    case organizationCode(OrganizationCode)
    case registrationNumber(RegistrationNumber)
    case residentID(ResidentID)

    /// The scheme; a resident ID converted from 15 digits reports ``IdentifierScheme/residentID15``.
    public var scheme: IdentifierScheme {
        switch self {
        case .creditCode: .uscc
        case .organizationCode: .organizationCode
        case .registrationNumber: .registrationNumber
        case .residentID(let id): id.isConvertedFromLegacyForm ? .residentID15 : .residentID
        }
    }

    /// Warnings of the underlying value.
    public var warnings: [IdentifierWarning] {
        switch self {
        case .creditCode(let v): v.warnings
        case .organizationCode: []
        case .registrationNumber(let v): v.warnings
        case .residentID(let v): v.warnings
        }
    }

    /// The canonical text (18 characters for a converted resident ID).
    public var description: String {
        switch self {
        case .creditCode(let v): v.description
        case .organizationCode(let v): v.description
        case .registrationNumber(let v): v.description
        case .residentID(let v): v.description
        }
    }
}
