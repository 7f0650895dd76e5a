/// Reads the clauses of one block by keyword: the only place clause keywords are matched.
///
/// A clause the language allows once is taken from its first occurrence; every later one is
/// reported as `check.duplicateClause` at its keyword.
struct ClauseReader {
    let block: Block
    private(set) var diagnostics: [Diagnostic] = []

    init(_ block: Block) { self.block = block }

    /// The block's name as an identifier (the document number of a memorandum, the name of a test).
    var id: Ident { Ident(name: block.nameText, range: block.name.range) }

    /// Every clause with one of the keywords, in written order.
    func all(_ keywords: Set<String>) -> [Clause] {
        block.clauses.filter { keywords.contains($0.kind.keyword.name) }
    }

    /// The first clause with one of the keywords; later ones are duplicates reported with `message`.
    mutating func single(_ keywords: Set<String>, duplicate message: String) -> Clause? {
        let found = all(keywords)
        for extra in found.dropFirst() {
            diagnostics.append(Diagnostic("check.duplicateClause", at: extra.kind.keyword.range, message))
        }
        return found.first
    }

    /// The first clause with the keyword; later ones are reported as given more than once.
    mutating func single(_ keyword: String) -> Clause? {
        single([keyword], duplicate: "'\(keyword)' is given more than once in \(block.kind.rawValue) '\(block.nameText)'")
    }

    /// The texts of every clause with the keyword (`unconfirmed`, `note`, `revises`).
    func texts(_ keyword: String) -> [StringLit] {
        all([keyword]).compactMap { if case .text(_, let s) = $0.kind { s } else { nil } }
    }

    /// The identifiers of every clause with the keyword, in written order.
    func idents(_ keyword: String) -> [Ident] {
        all([keyword]).flatMap { c -> [Ident] in if case .idents(_, let ids) = c.kind { ids } else { [] } }
    }

    static func text(_ c: Clause?) -> StringLit? {
        if case .text(_, let s)? = c?.kind { s } else { nil }
    }

    static func idents(_ c: Clause?) -> [Ident]? {
        if case .idents(_, let ids)? = c?.kind { ids } else { nil }
    }

    static func condition(_ c: Clause?) -> (keyword: Ident, condition: Condition)? {
        if case .condition(let k, let cond)? = c?.kind { (k, cond) } else { nil }
    }

    static func duration(_ c: Clause?) -> DurationClause? {
        if case .duration(let k, let spec)? = c?.kind { DurationClause(keyword: k, spec: spec) } else { nil }
    }
}

/// A `for …`, `while held` or `until …` clause as written.
struct DurationClause: Sendable, Hashable {
    /// The keywords that start a duration; a rule or derive gives at most one.
    static let keywords: Set<String> = ["for", "while", "until"]

    var keyword: Ident
    var spec: DurationSpec
}
