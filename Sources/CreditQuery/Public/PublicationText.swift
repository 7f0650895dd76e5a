import Foundation

/// How one row of a public table is written: a CSV line (RFC 4180 quoting, CRLF) or a JSON
/// object on one line, keys in column order, values strings or null.
enum PublicationText {
    /// `a,"b,c",,"d ""e"""` + CRLF.
    static func csvLine(_ values: [String?], into out: inout [UInt8]) {
        for (i, v) in values.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            guard let v else { continue }
            let needsQuotes = v.utf8.contains { (b: UInt8) -> Bool in b == 44 || b == 34 || b == 10 || b == 13 }
            if needsQuotes {
                out.append(UInt8(ascii: "\""))
                for b in v.utf8 { if b == UInt8(ascii: "\"") { out.append(b) }; out.append(b) }
                out.append(UInt8(ascii: "\""))
            } else {
                out.append(contentsOf: v.utf8)
            }
        }
        out.append(13); out.append(10)
    }

    /// `{"code":"…","key":"…",…}` + LF.
    static func jsonLine(_ names: [String], _ values: [String?], into out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        for (i, name) in names.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            jsonString(name, into: &out)
            out.append(UInt8(ascii: ":"))
            if let v = values[i] { jsonString(v, into: &out) } else { out.append(contentsOf: "null".utf8) }
        }
        out.append(UInt8(ascii: "}")); out.append(10)
    }

    static func jsonString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        if !s.utf8.contains(where: { $0 < 32 || $0 == 34 || $0 == 92 }) {
            out.append(contentsOf: s.utf8)
        } else {
            let hex = Array("0123456789abcdef".utf8)
            for b in s.utf8 {
                switch b {
                case 34: out.append(contentsOf: [92, 34])
                case 92: out.append(contentsOf: [92, 92])
                case 10: out.append(contentsOf: [92, UInt8(ascii: "n")])
                case 13: out.append(contentsOf: [92, UInt8(ascii: "r")])
                case 9: out.append(contentsOf: [92, UInt8(ascii: "t")])
                case 0..<32: out.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(b >> 4)], hex[Int(b & 15)]])
                default: out.append(b)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// The values of a JSON line written by ``jsonLine(_:_:into:)``, in the order of `names`.
    /// Lines in exactly that shape (keys in `names` order, string or null values) are read
    /// directly; any other valid JSON object through `JSONSerialization`.
    static func parseJSONLine(_ line: String, names: [String], file: String, lineNumber: Int) throws -> [String?] {
        if let values = fastParse(line, names: names) { return values }
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw PublicationError.unreadablePrevious(file: file, line: lineNumber, reason: "not a JSON object")
        }
        return try names.map { name in
            switch object[name] {
            case let s as String: return s
            case is NSNull, nil: return nil
            default: throw PublicationError.unreadablePrevious(file: file, line: lineNumber, reason: "\(name) is not a string or null")
            }
        }
    }

    /// Reads `{"n1":"v1","n2":null,…}` with the keys of `names` in order; nil on anything else.
    private static func fastParse(_ line: String, names: [String]) -> [String?]? {
        var line = line
        return line.withUTF8 { u -> [String?]? in
            var i = 0
            func expect(_ b: UInt8) -> Bool { guard i < u.count, u[i] == b else { return false }; i += 1; return true }
            func string() -> String? {
                guard expect(34) else { return nil }
                var bytes: [UInt8] = []
                while i < u.count {
                    let b = u[i]; i += 1
                    if b == 34 { return String(decoding: bytes, as: UTF8.self) }
                    guard b == 92 else { bytes.append(b); continue }
                    guard i < u.count else { return nil }
                    let e = u[i]; i += 1
                    switch e {
                    case 34, 92, 47: bytes.append(e)
                    case UInt8(ascii: "n"): bytes.append(10)
                    case UInt8(ascii: "r"): bytes.append(13)
                    case UInt8(ascii: "t"): bytes.append(9)
                    case UInt8(ascii: "u"):
                        guard i + 4 <= u.count, let v = UInt8(String(decoding: UnsafeBufferPointer(rebasing: u[i..<i + 4]), as: UTF8.self), radix: 16),
                              v < 0x80 else { return nil }   // the writer escapes control characters only
                        bytes.append(v); i += 4
                    default: return nil
                    }
                }
                return nil
            }
            guard expect(123) else { return nil }
            var values: [String?] = []
            values.reserveCapacity(names.count)
            for (k, name) in names.enumerated() {
                if k > 0 { guard expect(44) else { return nil } }
                guard string() == name, expect(58) else { return nil }
                if i + 4 <= u.count, u[i] == UInt8(ascii: "n"), u[i + 1] == UInt8(ascii: "u"), u[i + 2] == UInt8(ascii: "l"), u[i + 3] == UInt8(ascii: "l") {
                    i += 4; values.append(nil)
                } else {
                    guard let v = string() else { return nil }
                    values.append(v)
                }
            }
            guard expect(125), i == u.count else { return nil }
            return values
        }
    }
}
