/// Turns rule-file text into tokens and comments, with exact positions.
///
/// Identifiers are ASCII (`[A-Za-z_][A-Za-z0-9_]*`); Chinese text goes in strings. `#` starts a
/// comment that runs to the end of the line. `2016-01-20` is a date, `3` or `12.5` a number.
struct Lexer {
    private let bytes: [UInt8]
    private let file: String
    private var i = 0
    private var line = 1
    private var column = 1
    private(set) var tokens: [Token] = []
    private(set) var comments: [Comment] = []
    private(set) var diagnostics: [Diagnostic] = []

    init(text: String, file: String) {
        self.bytes = Array(text.utf8)
        self.file = file
    }

    /// Lexes the whole text; the last token is always `.eof`.
    static func lex(_ text: String, file: String) -> (tokens: [Token], comments: [Comment], diagnostics: [Diagnostic]) {
        var lx = Lexer(text: text, file: file)
        lx.run()
        return (lx.tokens, lx.comments, lx.diagnostics)
    }

    private var position: SourcePosition { SourcePosition(line: line, column: column, offset: i) }

    private mutating func advance() {
        let b = bytes[i]
        i += 1
        if b == 10 { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
    }

    private func peek(_ k: Int = 0) -> UInt8 { i + k < bytes.count ? bytes[i + k] : 0 }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
    private static func isIdentStart(_ b: UInt8) -> Bool { (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95 }
    private static func isIdentPart(_ b: UInt8) -> Bool { isIdentStart(b) || isDigit(b) }

    private func text(_ from: Int, _ to: Int) -> String { String(decoding: bytes[from..<to], as: UTF8.self) }

    private mutating func add(_ kind: Token.Kind, _ text: String, _ start: SourcePosition) {
        tokens.append(Token(kind: kind, text: text, range: SourceRange(file: file, start: start, end: position)))
    }

    private mutating func run() {
        while i < bytes.count {
            let b = bytes[i]
            let start = position
            switch b {
            case 32, 9, 10, 13:
                advance()
            case UInt8(ascii: "#"):
                let s = i
                while i < bytes.count && bytes[i] != 10 { advance() }
                var e = i
                if e > s && bytes[e - 1] == 13 { e -= 1 }
                comments.append(Comment(text: text(s, e), range: SourceRange(file: file, start: start, end: position)))
            case UInt8(ascii: "\""):
                lexString(start)
            case UInt8(ascii: "{"): advance(); add(.lbrace, "{", start)
            case UInt8(ascii: "}"): advance(); add(.rbrace, "}", start)
            case UInt8(ascii: "("): advance(); add(.lparen, "(", start)
            case UInt8(ascii: ")"): advance(); add(.rparen, ")", start)
            case UInt8(ascii: "["): advance(); add(.lbracket, "[", start)
            case UInt8(ascii: "]"): advance(); add(.rbracket, "]", start)
            case UInt8(ascii: ","): advance(); add(.comma, ",", start)
            case UInt8(ascii: "="): advance(); add(.eq, "=", start)
            case UInt8(ascii: "!") where peek(1) == UInt8(ascii: "="): advance(); advance(); add(.ne, "!=", start)
            case UInt8(ascii: "<"):
                advance()
                if peek() == UInt8(ascii: "=") { advance(); add(.le, "<=", start) } else { add(.lt, "<", start) }
            case UInt8(ascii: ">"):
                advance()
                if peek() == UInt8(ascii: "=") { advance(); add(.ge, ">=", start) } else { add(.gt, ">", start) }
            default:
                if Lexer.isDigit(b) {
                    lexNumberOrDate(start)
                } else if Lexer.isIdentStart(b) {
                    let s = i
                    while i < bytes.count && Lexer.isIdentPart(bytes[i]) { advance() }
                    add(.ident, text(s, i), start)
                } else {
                    // One whole character (UTF-8 sequence) is reported and skipped.
                    let s = i
                    advance()
                    while i < bytes.count && bytes[i] & 0xC0 == 0x80 { advance() }
                    let ch = text(s, i)
                    diagnostics.append(Diagnostic("parse.unexpectedCharacter", at: SourceRange(file: file, start: start, end: position),
                                                  "unexpected character '\(ch)'",
                                                  hint: ch.unicodeScalars.first.map { $0.value > 127 } == true
                                                    ? "Chinese text belongs inside double quotes" : nil))
                }
            }
        }
        tokens.append(Token(kind: .eof, text: "", range: SourceRange(file: file, start: position, end: position)))
    }

    private mutating func lexString(_ start: SourcePosition) {
        advance() // opening quote
        var out: [UInt8] = []
        while true {
            guard i < bytes.count, bytes[i] != 10 else {
                diagnostics.append(Diagnostic("parse.unterminatedString", at: SourceRange(file: file, start: start, end: position),
                                              "string is not closed before the end of the line", hint: "add a closing '\"'"))
                add(.string, String(decoding: out, as: UTF8.self), start)
                return
            }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { advance(); break }
            if b == UInt8(ascii: "\\") && i + 1 < bytes.count {
                let n = bytes[i + 1]
                advance(); advance()
                switch n {
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(n)
                default: out.append(UInt8(ascii: "\\")); out.append(n)
                }
                continue
            }
            out.append(b)
            advance()
        }
        add(.string, String(decoding: out, as: UTF8.self), start)
    }

    private mutating func lexNumberOrDate(_ start: SourcePosition) {
        let s = i
        while i < bytes.count && Lexer.isDigit(bytes[i]) { advance() }
        // yyyy-mm-dd
        if i - s == 4 && peek() == UInt8(ascii: "-") && Lexer.isDigit(peek(1)) {
            advance()
            while i < bytes.count && (Lexer.isDigit(bytes[i]) || bytes[i] == UInt8(ascii: "-")) { advance() }
            add(.date, text(s, i), start)
            return
        }
        if peek() == UInt8(ascii: ".") && Lexer.isDigit(peek(1)) {
            advance()
            while i < bytes.count && Lexer.isDigit(bytes[i]) { advance() }
        }
        if i < bytes.count && Lexer.isIdentStart(bytes[i]) {
            // e.g. 3years: report, then lex the rest as an identifier.
            diagnostics.append(Diagnostic("parse.invalidNumber", at: SourceRange(file: file, start: start, end: position),
                                          "a number must be followed by a space", hint: "write '\(text(s, i)) \(text(i, min(bytes.count, i + 5)))…'"))
        }
        add(.number, text(s, i), start)
    }
}
