/// Splits one record of a delimited file (RFC 4180 quoting: `"a,b"`, `""` inside quotes, line
/// breaks inside quotes) into fields, working on bytes. A quote left open at the end of the record
/// or text after a closing quote is an error of that record. ``CSVRecordReader`` finds the records.
public enum CSVLine {
    public enum Failure: Error, Equatable {
        case unterminatedQuote(field: Int)
        case textAfterQuote(field: Int)

        public var reason: String {
            switch self {
            case .unterminatedQuote(let f): "broken quoting: quote in field \(f) is not closed"
            case .textAfterQuote(let f): "broken quoting: text after the closing quote of field \(f)"
            }
        }
    }

    public static func split(_ line: UnsafeBufferPointer<UInt8>, delimiter: UInt8) -> Result<[String], Failure> {
        var fields: [String] = []
        var i = 0
        let n = line.count
        let quote = UInt8(ascii: "\"")
        while true {
            if i < n && line[i] == quote {
                var value: [UInt8] = []
                i += 1
                var closed = false
                while i < n {
                    if line[i] == quote {
                        if i + 1 < n && line[i + 1] == quote { value.append(quote); i += 2; continue }
                        closed = true; i += 1; break
                    }
                    value.append(line[i]); i += 1
                }
                guard closed else { return .failure(.unterminatedQuote(field: fields.count + 1)) }
                // Spaces between the closing quote and the delimiter are tolerated.
                while i < n && line[i] == UInt8(ascii: " ") { i += 1 }
                guard i == n || line[i] == delimiter else { return .failure(.textAfterQuote(field: fields.count + 1)) }
                fields.append(String(decoding: value, as: UTF8.self))
            } else {
                let start = i
                while i < n && line[i] != delimiter { i += 1 }
                fields.append(String(decoding: UnsafeBufferPointer(rebasing: line[start..<i]), as: UTF8.self))
            }
            if i >= n { break }
            i += 1                                  // the delimiter
            if i == n { fields.append(""); break }  // trailing delimiter: one more empty field
        }
        return .success(fields)
    }
}
