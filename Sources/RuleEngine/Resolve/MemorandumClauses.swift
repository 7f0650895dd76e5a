/// A memorandum's clauses as written, each typed and read once.
struct MemorandumClauses: Sendable {
    var file: String
    var keyword: Ident
    /// The document number, e.g. 发改财金〔2016〕141号.
    var number: Ident
    var title: StringLit?
    var date: DateLit?
    /// Every `signatories` clause (one is allowed; each is checked).
    var signatories: [NumberLit]
    var signedBy: [Ident]
    var targets: [Ident]
    var revises: [StringLit]
    var unconfirmed: [StringLit]
    var notes: [StringLit]

    init(_ block: Block, file: String, diagnostics: inout [Diagnostic]) {
        var r = ClauseReader(block)
        self.file = file
        keyword = block.keyword
        number = r.id
        title = ClauseReader.text(r.single("title"))
        if case .date(_, let d)? = r.single("date")?.kind { date = d }
        _ = r.single("signatories")
        signatories = r.all(["signatories"]).compactMap { if case .number(_, let n) = $0.kind { n } else { nil } }
        signedBy = r.idents("signed_by")
        targets = r.idents("targets")
        revises = r.texts("revises")
        unconfirmed = r.texts("unconfirmed")
        notes = r.texts("note")
        diagnostics += r.diagnostics
    }
}
