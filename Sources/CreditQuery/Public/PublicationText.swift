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
        let hex = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out.append(contentsOf: [92, 34])
            case 92: out.append(contentsOf: [92, 92])
            case 10: out.append(contentsOf: [92, UInt8(ascii: "n")])
            case 13: out.append(contentsOf: [92, UInt8(ascii: "r")])
            case 9: out.append(contentsOf: [92, UInt8(ascii: "t")])
            case 0..<32: out.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(b >> 4)], hex[Int(b & 15)]])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// The values of a JSON line written by ``jsonLine(_:_:into:)``, in the order of `names`.
    static func parseJSONLine(_ line: String, names: [String], file: String, lineNumber: Int) throws -> [String?] {
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
}
