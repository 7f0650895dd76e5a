/// A province-level division (the first two digits of a GB/T 2260 code).
///
/// Mainland provinces are 11-15, 21-23, 31-37, 41-46, 50-54 and 61-65; 71 (Taiwan), 81 (Hong
/// Kong), 82 (Macau) and 83 (used for Taiwan residents' residence permits) are known but
/// outside the mainland. `10` is not a province: `100000` is the national level (see
/// ``DivisionCode/isNational``).
///
/// ```swift
/// Province(code: 35)?.name   // "福建"
/// ```
public struct Province: Sendable, Hashable, CustomStringConvertible {
    /// The two-digit code, e.g. 35.
    public let code: Int

    /// The province with this two-digit code, or nil when there is none.
    public init?(code: Int) {
        guard Province.name(code) != nil else { return nil }
        self.code = code
    }

    /// The short Chinese name, e.g. "福建".
    public var name: String { Province.name(code) ?? "" }

    /// False for Taiwan, Hong Kong and Macau.
    public var isMainland: Bool { code < 70 }

    /// Every known province, mainland first.
    public static let all: [Province] = (10...89).compactMap(Province.init(code:))

    /// The mainland provinces.
    public static let mainland: [Province] = all.filter(\.isMainland)

    public var description: String { "\(code) \(name)" }

    static func name(_ code: Int) -> String? {
        switch code {
        case 11: "北京"
        case 12: "天津"
        case 13: "河北"
        case 14: "山西"
        case 15: "内蒙古"
        case 21: "辽宁"
        case 22: "吉林"
        case 23: "黑龙江"
        case 31: "上海"
        case 32: "江苏"
        case 33: "浙江"
        case 34: "安徽"
        case 35: "福建"
        case 36: "江西"
        case 37: "山东"
        case 41: "河南"
        case 42: "湖北"
        case 43: "湖南"
        case 44: "广东"
        case 45: "广西"
        case 46: "海南"
        case 50: "重庆"
        case 51: "四川"
        case 52: "贵州"
        case 53: "云南"
        case 54: "西藏"
        case 61: "陕西"
        case 62: "甘肃"
        case 63: "青海"
        case 64: "宁夏"
        case 65: "新疆"
        case 71: "台湾"
        case 81: "香港"
        case 82: "澳门"
        case 83: "台湾（居住证）"
        default: nil
        }
    }
}
