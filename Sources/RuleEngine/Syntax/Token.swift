/// A lexical token of the rule language.
struct Token: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case ident, string, number, date
        case lbrace, rbrace, lparen, rparen, lbracket, rbracket, comma
        case eq, ne, lt, le, gt, ge
        case eof
    }
    var kind: Kind
    /// Identifier, number or date as written; string contents with escapes resolved.
    var text: String
    var range: SourceRange

    func isWord(_ w: String) -> Bool { kind == .ident && text == w }

    /// How the token reads in a message: `'apply'`, `string "…"`, `end of file`.
    var display: String {
        switch kind {
        case .eof: return "end of file"
        case .string: return "string \"\(text)\""
        case .ident: return "'\(text)'"
        default: return "'\(text)'"
        }
    }
}
