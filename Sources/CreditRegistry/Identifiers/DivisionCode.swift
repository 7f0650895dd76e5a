/// A six-digit administrative-division code (GB/T 2260) as carried in a USCC (positions 3-8),
/// a registration number (1-6) or a resident ID (1-6).
///
/// Only the shape is checked: codes change over time and an identifier keeps the code that was
/// valid when it was issued, so a retired or unknown county is never an error. ``warnings``
/// reports an unknown province, a province outside the mainland and odd shapes.
///
/// ```swift
/// let d = DivisionCode(digits: 350100)
/// d.province?.name   // "福建"
/// d.description      // "350100"
/// ```
public struct DivisionCode: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The code as a number, 0...999999.
    public let value: Int

    /// Wraps six digits; the value is clamped to 0...999999.
    public init(digits: Int) { value = min(max(digits, 0), 999_999) }

    init(_ p: PackedASCII, offset: Int) {
        var v = 0
        for i in offset..<offset + 6 { v = v &* 10 &+ Int(p[i] &- 0x30) }
        value = v
    }

    /// The province (first two digits), or nil when they are not a province code.
    public var province: Province? { Province(code: value / 10_000) }

    /// True for `100000`, registration at national level.
    public var isNational: Bool { value == 100_000 }

    /// Prefecture part (digits 3-4) and county part (digits 5-6).
    public var prefecture: Int { value / 100 % 100 }
    public var county: Int { value % 100 }

    /// The region as a person reads it: "全国" for national, the province name, or the bare code.
    public var regionName: String {
        if isNational { return "全国" }
        return province?.name ?? "?"
    }

    /// Shape warnings (never errors), attributed to `scheme`.
    public func warnings(scheme: IdentifierScheme) -> [IdentifierWarning] {
        let prefix = value / 10_000
        if prefix == 10 {
            return isNational ? [] : [IdentifierWarning(scheme: scheme, reason: .unusualDivision(description))]
        }
        guard let p = province else {
            return [IdentifierWarning(scheme: scheme, reason: .unknownProvince(twoDigits(prefix)))]
        }
        if !p.isMainland { return [IdentifierWarning(scheme: scheme, reason: .outsideMainland(twoDigits(prefix)))] }
        if prefecture == 0 && county != 0 {
            return [IdentifierWarning(scheme: scheme, reason: .unusualDivision(description))]
        }
        return []
    }

    /// True when ``warnings(scheme:)`` would be empty (no allocation).
    var isUnremarkable: Bool {
        let prefix = value / 10_000
        if prefix == 10 { return isNational }
        guard let p = province, p.isMainland else { return false }
        return !(prefecture == 0 && county != 0)
    }

    private func twoDigits(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }

    public var description: String {
        let s = String(value)
        return String(repeating: "0", count: 6 - s.count) + s
    }

    public static func < (a: DivisionCode, b: DivisionCode) -> Bool { a.value < b.value }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard s.utf8.count == 6, s.utf8.allSatisfy(Checksum.isDigit), let v = Int(s) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "'\(s)' is not a six-digit division code")
        }
        value = v
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
