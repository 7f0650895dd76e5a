import CreditRegistry

/// One input row taken apart — fields split, the code cleaned and validated, the name trimmed —
/// before its look-up. Parsing needs no database, so the thread that reads the file does it
/// while the workers look rows up.
struct ParsedRow: Sendable {
    /// The line the record starts on.
    var number: Int
    /// The passed-through columns, in ``BatchLayout/passthrough`` order.
    var inputs: [String]
    var error: String?
    var codeProblem: String?
    /// The code as checked; nil when the row stops before a look-up (broken, empty, no code).
    var check: CodeCheck.Result?
    /// The name column, trimmed.
    var given: String?

    static func parse(_ line: UnsafeBufferPointer<UInt8>, number: Int, layout: BatchLayout, codeCheck: CodeCheck) -> ParsedRow {
        var row = ParsedRow(number: number, inputs: [String](repeating: "", count: layout.passthrough.count))
        let fields: [String]
        switch CSVLine.split(line, delimiter: layout.delimiter) {
        case .success(let f): fields = f
        case .failure(let why):
            // Keep what can be kept so the bank can find the row: a split that ignores quotes.
            let naive = line.split(separator: layout.delimiter, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            for (k, p) in layout.passthrough.enumerated() where p.index < naive.count { row.inputs[k] = naive[p.index] }
            row.error = why.reason; row.codeProblem = "not checked"
            return row
        }
        for (k, p) in layout.passthrough.enumerated() where p.index < fields.count { row.inputs[k] = fields[p.index] }
        if fields.count == 1 && fields[0].trimmingCharactersInSet().isEmpty {
            row.error = "empty row"; row.codeProblem = "blank code"
            return row
        }
        guard layout.codeIndex < fields.count else {
            row.error = "missing columns: the row has \(fields.count) of \(max(layout.columns, layout.codeIndex + 1)); no code"
            row.codeProblem = "blank code"
            return row
        }
        if layout.columns > 0 && fields.count != layout.columns {
            row.error = "the row has \(fields.count) columns, the header \(layout.columns)"
        }
        var raw = fields[layout.codeIndex].trimmingCharactersInSet()
        if raw.hasPrefix("'") { raw.removeFirst() }                       // spreadsheet text marker
        if raw.hasPrefix("=\"") && raw.hasSuffix("\"") && raw.count >= 3 { raw = String(raw.dropFirst(2).dropLast()) }
        row.given = layout.nameIndex.flatMap { $0 < fields.count ? fields[$0].trimmingCharactersInSet() : nil }
        if raw.isEmpty {
            row.error = row.error ?? "blank code"; row.codeProblem = "blank code"
            return row
        }
        row.check = codeCheck(raw)
        return row
    }
}
