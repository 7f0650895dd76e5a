/// Something odd about a valid identifier: worth a look, never a reason to reject it.
///
/// ```swift
/// let code = try CreditCode(validating: "91350203M0001QKT19", options: .acceptLegacyChecksum)
/// code.warnings.map(\.code)   // ["identifier.legacyChecksum"]
/// ```
public struct IdentifierWarning: Sendable, Hashable, CustomStringConvertible {
    public var scheme: IdentifierScheme
    public var reason: Reason

    public init(scheme: IdentifierScheme, reason: Reason) {
        self.scheme = scheme
        self.reason = reason
    }

    public enum Reason: Sendable, Hashable {
        /// The USCC check character is wrong, but the code was accepted as a legacy code
        /// (``CreditCode/Options/acceptLegacyChecksum``; DOMAIN §1.7, e.g. pre-2016 Xiamen codes).
        case legacyChecksum(found: Character, expected: Character)
        /// The organisation code in positions 9-17 fails its GB 11714 check, for a category where
        /// that is not an error (everything but `91`).
        case organizationCodeCheck(found: Character, expected: Character)
        /// The first two digits of the division code are not a province code.
        case unknownProvince(String)
        /// The province code is Taiwan, Hong Kong or Macau (71, 81, 82, 83).
        case outsideMainland(String)
        /// The six-digit division code is structurally odd (e.g. `10xxxx` other than national
        /// `100000`, or a county part under a `00` prefecture part).
        case unusualDivision(String)
        /// A birth year before 1900 (allowed by the standard, but rare in live data).
        case birthYearBefore1900(Int)
    }

    /// A stable machine-readable code, e.g. `identifier.legacyChecksum`.
    public var code: String {
        switch reason {
        case .legacyChecksum: "identifier.legacyChecksum"
        case .organizationCodeCheck: "identifier.organizationCodeCheck"
        case .unknownProvince: "identifier.unknownProvince"
        case .outsideMainland: "identifier.outsideMainland"
        case .unusualDivision: "identifier.unusualDivision"
        case .birthYearBefore1900: "identifier.birthYearBefore1900"
        }
    }

    public var message: String {
        switch reason {
        case .legacyChecksum(let found, let expected):
            return "check character is \(found) but should be \(expected) (position 18); accepted as a legacy code"
        case .organizationCodeCheck(let found, let expected):
            return "organisation-code check character is \(found) but should be \(expected) (position 17, GB 11714)"
        case .unknownProvince(let p):
            return "province code \(p) is not a known province"
        case .outsideMainland(let p):
            return "province code \(p) (\(Province(code: Int(p) ?? 0)?.name ?? "?")) is outside the mainland"
        case .unusualDivision(let d):
            return "division code \(d) is unusual"
        case .birthYearBefore1900(let y):
            return "birth year \(y) is before 1900"
        }
    }

    public var description: String { "\(scheme.title): \(message)" }
}
