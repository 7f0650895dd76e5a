/// Masking of personal identifiers for readers who may not see them.
///
/// ```swift
/// IdentityMask.residentID("11010519491231002X")   // "110105********002X"
/// IdentityMask.personName("欧阳娜娜")               // "欧***"
/// ```
public enum IdentityMask {
    /// First 6 + stars + last 4 (18 digits: 8 stars; 15 digits: 5 stars); shorter values keep
    /// only their last 4 characters.
    public static func residentID(_ id: String) -> String {
        let chars = Array(id)
        guard chars.count > 10 else {
            return String(repeating: "*", count: max(0, chars.count - 4)) + String(chars.suffix(4))
        }
        return String(chars.prefix(6)) + String(repeating: "*", count: chars.count - 10) + String(chars.suffix(4))
    }

    /// The surname character followed by one star per further character.
    public static func personName(_ name: String) -> String {
        guard let first = name.first else { return name }
        return String(first) + String(repeating: "*", count: max(0, name.count - 1))
    }

    /// True for text shaped like a resident ID: 15 digits, or 17 digits and a digit or X whose
    /// first two digits are a province prefix (11–82) and whose characters 7–14 are a date.
    /// An all-digit credit code (`914403001922038216`: `91` is no province) is not one.
    public static func looksLikeResidentID(_ code: String) -> Bool {
        let u = Array(code.utf8)
        func digit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
        if u.count == 15 { return u.allSatisfy(digit) }
        guard u.count == 18, u[0..<17].allSatisfy(digit), digit(u[17]) || u[17] == UInt8(ascii: "X") || u[17] == UInt8(ascii: "x")
        else { return false }
        let province = Int(u[0] - 48) * 10 + Int(u[1] - 48)
        guard (11...82).contains(province) else { return false }
        let birth = Array(u[6..<14])
        return birth.withUnsafeBufferPointer { Day.parse($0) } != nil
    }

    /// An identifier as it may appear in messages and logs: masked when it looks like a
    /// resident ID number, unchanged otherwise.
    public static func forDisplay(_ identifier: String) -> String {
        looksLikeResidentID(identifier) ? residentID(identifier) : identifier
    }
}
