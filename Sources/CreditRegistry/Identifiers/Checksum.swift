/// The check-character algorithms of the four schemes, on ASCII bytes.
enum Checksum {
    /// The 31 symbols of GB 32100 in value order.
    static let usccAlphabet: [UInt8] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)
    /// GB 32100 weights 3^(i-1) mod 31 for positions 1-17.
    static let usccWeights: [Int] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    /// GB 11714 weights for the 8 body characters.
    static let orgWeights: [Int] = [3, 7, 9, 10, 5, 8, 4, 2]
    /// GB 11643 (ISO 7064 MOD 11-2) weights for positions 1-17.
    static let residentWeights: [Int] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    @inline(__always)
    static func isUpperLetter(_ b: UInt8) -> Bool { b &- 0x41 < 26 }

    /// The GB 32100 value (0-30) of a byte, or nil outside the 31-symbol set.
    @inline(__always)
    static func usccValue(_ b: UInt8) -> Int? {
        switch b {
        case 0x30...0x39: return Int(b &- 0x30)
        case 0x41...0x48: return Int(b &- 0x41) &+ 10   // A-H
        case 0x4A...0x4E: return Int(b &- 0x4A) &+ 18   // J-N
        case 0x50...0x52: return Int(b &- 0x50) &+ 23   // P-R
        case 0x54...0x55: return Int(b &- 0x54) &+ 26   // T-U
        case 0x57...0x59: return Int(b &- 0x57) &+ 28   // W-Y
        default: return nil
        }
    }

    /// GB 32100 check symbol over the first 17 bytes (all in the 31-symbol set).
    @inline(__always)
    static func usccCheck(_ p: PackedASCII) -> UInt8 {
        var sum = 0
        var weight = 1   // 3^i mod 31
        for i in 0..<17 {
            sum &+= (usccValue(p[i]) ?? 0) &* weight
            weight = weight &* 3 % 31
        }
        return usccAlphabet[(31 &- sum % 31) % 31]
    }

    /// The GB 11714 value (0-35) of a digit or capital letter.
    @inline(__always)
    static func orgValue(_ b: UInt8) -> Int? {
        if isDigit(b) { return Int(b &- 0x30) }
        if isUpperLetter(b) { return Int(b &- 0x41) &+ 10 }
        return nil
    }

    /// GB 11714 check character over 8 body bytes starting at `offset`: 11 − (s mod 11),
    /// 10 → 'X', 11 → '0'.
    @inline(__always)
    static func organizationCheck(_ p: PackedASCII, offset: Int) -> UInt8 {
        var sum = 0
        for i in 0..<8 { sum &+= (orgValue(p[offset &+ i]) ?? 0) &* orgWeights[i] }
        let c = 11 &- sum % 11
        switch c {
        case 10: return UInt8(ascii: "X")
        case 11: return UInt8(ascii: "0")
        default: return UInt8(truncatingIfNeeded: c) &+ 0x30
        }
    }

    /// GB 11643 (ISO 7064 MOD 11-2) check character over 17 digits.
    @inline(__always)
    static func residentCheck(_ p: PackedASCII) -> UInt8 {
        var sum = 0
        for i in 0..<17 { sum &+= Int(p[i] &- 0x30) &* residentWeights[i] }
        let c = (12 &- sum % 11) % 11
        return c == 10 ? UInt8(ascii: "X") : UInt8(truncatingIfNeeded: c) &+ 0x30
    }

    /// ISO 7064 MOD 11,10 check digit over the first 14 digits.
    @inline(__always)
    static func mod11_10Check(_ p: PackedASCII) -> UInt8 {
        var product = 10
        for i in 0..<14 {
            var s = (product &+ Int(p[i] &- 0x30)) % 10
            if s == 0 { s = 10 }
            product = (2 &* s) % 11
        }
        return UInt8(truncatingIfNeeded: (11 &- product) % 10) &+ 0x30
    }
}
