/// A derive rule's clauses as written, each typed and read once.
struct DeriveClauses: Sendable {
    var file: String
    var keyword: Ident
    var id: Ident
    var title: StringLit?
    var when: Condition?
    /// The list of `add to LIST`.
    var addTo: Ident?
    var duration: DurationClause?
    var unconfirmed: [StringLit]
    /// `applies_from DATE`: only facts that trigger on or after the day.
    var appliesFrom: DateLit?
    /// `applies_before DATE`: only facts that trigger before the day.
    var appliesBefore: DateLit?

    init(_ block: Block, file: String, diagnostics: inout [Diagnostic]) {
        var r = ClauseReader(block)
        self.file = file
        keyword = block.keyword
        id = r.id
        title = ClauseReader.text(r.single("title"))
        when = ClauseReader.condition(r.single("when"))?.condition
        if case .addTo(_, let l)? = r.single("add")?.kind { addTo = l }
        duration = ClauseReader.duration(r.single(DurationClause.keywords, duplicate: "derive '\(id.name)' gives more than one duration"))
        unconfirmed = r.texts("unconfirmed")
        if case .date(_, let d)? = r.single("applies_from")?.kind { appliesFrom = d }
        if case .date(_, let d)? = r.single("applies_before")?.kind { appliesBefore = d }
        diagnostics += r.diagnostics
    }
}
