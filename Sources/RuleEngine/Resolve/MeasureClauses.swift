/// A measure's clauses as written, each typed and read once.
struct MeasureClauses: Sendable {
    var file: String
    var keyword: Ident
    var id: Ident
    var text: StringLit?
    /// Every `department` clause (one is allowed; each is checked).
    var departments: [Ident]
    var basis: StringLit?
    /// Every `category` clause (one is allowed; each is checked).
    var categories: [Ident]
    var financial: Bool
    var unconfirmed: [StringLit]

    init(_ block: Block, file: String, diagnostics: inout [Diagnostic]) {
        var r = ClauseReader(block)
        self.file = file
        keyword = block.keyword
        id = r.id
        text = ClauseReader.text(r.single("text"))
        _ = r.single("department")
        departments = r.idents("department")
        basis = ClauseReader.text(r.single("basis"))
        _ = r.single("category")
        categories = r.idents("category")
        financial = r.single("financial") != nil
        unconfirmed = r.texts("unconfirmed")
        diagnostics += r.diagnostics
    }
}
