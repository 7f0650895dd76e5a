import CreditRegistry
import Decisions
/// Where the code and the name are in a batch file, decided from its first line.
struct BatchLayout: Sendable {
    var hasHeader: Bool
    var delimiter: UInt8
    var codeIndex: Int
    var nameIndex: Int?
    /// Other columns, passed through: index and header name.
    var passthrough: [(index: Int, name: String)]
    /// Columns the header declares (0 without a header).
    var columns: Int

    static let codeHeaders: Set<String> = ["code", "credit_code", "creditcode", "uscc", "统一社会信用代码", "社会信用代码", "信用代码",
                                           "代码", "证件号码", "身份证号", "身份证号码", "id", "id_number"]
    static let nameHeaders: Set<String> = ["name", "名称", "企业名称", "单位名称", "主体名称", "客户名称", "姓名", "company", "company_name"]

    static func key(_ s: String) -> String {
        s.trimmingCharactersInSet().lowercased()
    }

    /// Decides the layout from the first line's fields.
    static func detect(firstLine: UnsafeBufferPointer<UInt8>, delimiter: UInt8, codeColumn: String?, nameColumn: String?,
                       codeCheck: CodeCheck) throws -> BatchLayout {
        let fields: [String]
        switch CSVLine.split(firstLine, delimiter: delimiter) {
        case .success(let f): fields = f
        case .failure: fields = [String(decoding: firstLine, as: UTF8.self)]
        }
        let keys = fields.map(key)
        func index(of option: String?, in set: Set<String>) throws -> Int? {
            if let option {
                if let n = Int(option), n >= 1 { return n - 1 }
                guard let i = keys.firstIndex(of: key(option)) else {
                    throw BatchError(message: "no column named '\(option)' in the header (\(fields.joined(separator: ", ")))")
                }
                return i
            }
            return keys.firstIndex(where: set.contains)
        }
        let numericOptions = codeColumn.flatMap(Int.init) != nil
        let code = try index(of: codeColumn, in: codeHeaders)
        let name = try index(of: nameColumn, in: nameHeaders)
        if let code, !numericOptions {
            let pass = fields.indices.filter { $0 != code && $0 != name }.map { ($0, fields[$0].trimmingCharactersInSet()) }
            return BatchLayout(hasHeader: true, delimiter: delimiter, codeIndex: code, nameIndex: name, passthrough: pass, columns: fields.count)
        }
        // No header: one code per line, or code and name in the first two columns.
        let codeAt = code ?? 0
        if !numericOptions && fields.count > 1 && !codeCheck(fields[codeAt]).valid {
            throw BatchError(message: "no code column found in the header (\(fields.joined(separator: ", "))); name it code, credit_code, uscc or 统一社会信用代码, or pass --code-column")
        }
        let nameAt = name ?? (fields.count > 1 ? (codeAt == 1 ? 0 : 1) : nil)
        let pass = fields.indices.filter { $0 != codeAt && $0 != nameAt }.map { ($0, "column\($0 + 1)") }
        return BatchLayout(hasHeader: false, delimiter: delimiter, codeIndex: codeAt, nameIndex: nameAt, passthrough: pass, columns: fields.count)
    }
}

extension String {
    /// Trims spaces, tabs, ideographic spaces and a byte-order mark.
    func trimmingCharactersInSet() -> String {
        let skip: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\u{3000}" || $0 == "\u{FEFF}" || $0 == "\r" }
        let scalars = unicodeScalars
        if let f = scalars.first, let l = scalars.last, !skip(f), !skip(l) { return self }
        guard let first = scalars.firstIndex(where: { !skip($0) }), let last = scalars.lastIndex(where: { !skip($0) }) else { return "" }
        return String(scalars[first...last])
    }
}
