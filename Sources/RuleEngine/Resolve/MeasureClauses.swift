/// A measure's clauses as written, each typed and read once.
struct MeasureClauses: Sendable {
    var file: String
    var keyword: Ident
    var id: Ident
    var text: StringLit?
    /// The measure's item number in its memorandum, e.g. `（二）`.
    var item: StringLit?
    /// `cooperating` departments, in written order.
    var cooperating: [Ident]
    /// Every `basic` clause (one is allowed): the national basic list measure it implements.
    var basic: [Ident]
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
        item = ClauseReader.text(r.single("item"))
        cooperating = r.idents("cooperating")
        _ = r.single("basic")
        basic = r.idents("basic")
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
