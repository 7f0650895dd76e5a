import CreditRegistry

/// Turns the bytes of a rule file into its text: UTF-8, with or without a byte-order mark (which
/// is dropped). Invalid UTF-8 — anywhere, strings included — is refused with the line and column
/// of the first bad byte; nothing is replaced.
public enum RuleFileDecoder {
    /// The outcome of decoding one file.
    public enum Decoded: Sendable {
        /// The text to parse.
        case text(SourceFile)
        /// The file is refused; `display` is a best-effort rendering of it for showing the line.
        case invalid(Diagnostic, display: SourceFile)
    }

    public static func decode(_ bytes: [UInt8], path: String) -> Decoded {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        let (valid, unfinished) = body.withUnsafeBufferPointer { TextTranscoder.validUTF8Prefix($0) }
        if valid == body.count {
            return .text(SourceFile(path: path, text: String(decoding: body, as: UTF8.self)))
        }
        // Line and column (in characters) of the first invalid byte.
        var line = 1, column = 1
        let start = body.startIndex
        for b in body[start..<(start + valid)] {
            if b == 0x0A { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
        }
        let bad = body[(start + valid)...].prefix(unfinished ? 4 : 1)
        let hex = bad.map { "0x" + String($0, radix: 16, uppercase: true) }.joined(separator: " ")
        let p = SourcePosition(line: line, column: column, offset: valid)
        let end = SourcePosition(line: line, column: column + 1, offset: valid + 1)
        let offset = valid + (body.startIndex - bytes.startIndex)
        let d = Diagnostic("io.encoding", at: SourceRange(file: path, start: p, end: end),
                           unfinished ? "the file ends inside a UTF-8 character (\(hex)) at byte offset \(offset)"
                                      : "invalid UTF-8 byte \(hex) at byte offset \(offset); rule files must be UTF-8",
                           hint: "save the file as UTF-8 (a byte-order mark is allowed)")
        return .invalid(d, display: SourceFile(path: path, text: String(decoding: body, as: UTF8.self)))
    }
}
