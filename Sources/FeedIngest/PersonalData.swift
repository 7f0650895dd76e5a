import CreditRegistry
/// Masking of personal ID numbers in texts that leave the reader (error messages, issue reasons).
enum PersonalData {
    /// Replaces every run shaped like a resident ID number (``IdentityMask/looksLikeResidentID(_:)``)
    /// by its masked form (``IdentityMask/residentID(_:)``).
    ///
    /// `masked("id 11010519491231002X bad")` → `"id 110105********002X bad"`.
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
                let word = String(decoding: run, as: UTF8.self)
                if IdentityMask.looksLikeResidentID(word) {
                    out.append(contentsOf: IdentityMask.residentID(word).utf8)
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
