/// Masking of personal ID numbers in texts that leave the reader (error messages, issue reasons).
enum PersonalData {
    /// Replaces every run of 15 digits, or 17 digits and a digit or X (a resident ID number's shape),
    /// by its first 6 characters, asterisks and its last character.
    ///
    /// `masked("id 11010519491231002X bad")` → `"id 110105***********X bad"`.
    static func masked(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        var changed = false
        func isAlnum(_ b: UInt8) -> Bool { (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) }
        while i < bytes.count {
            // Start of a run of ASCII letters/digits.
            if isAlnum(bytes[i]) && (i == 0 || !isAlnum(bytes[i - 1])) {
                var j = i
                while j < bytes.count && isAlnum(bytes[j]) { j += 1 }
                let run = bytes[i..<j]
                let n = run.count
                let digitsBody = run.prefix(n - 1).allSatisfy { $0 >= 48 && $0 <= 57 }
                let last = run.last ?? 0
                let isID = digitsBody && ((n == 15 && last >= 48 && last <= 57)
                    || (n == 18 && ((last >= 48 && last <= 57) || last == UInt8(ascii: "X") || last == UInt8(ascii: "x"))))
                if isID {
                    out.append(contentsOf: run.prefix(6))
                    out.append(contentsOf: repeatElement(UInt8(ascii: "*"), count: n - 7))
                    out.append(last)
                    changed = true
                } else {
                    out.append(contentsOf: run)
                }
                i = j
            } else {
                out.append(bytes[i]); i += 1
            }
        }
        return changed ? String(decoding: out, as: UTF8.self) : text
    }
}
