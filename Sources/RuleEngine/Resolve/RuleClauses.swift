/// A rule's clauses as written, each typed and read once.
struct RuleClauses: Sendable {
    /// `punish when …` or `reward when …`.
    struct Effect: Sendable {
        var keyword: Ident
        var condition: Condition
        var isPunishment: Bool { keyword.name == "punish" }
    }

    var file: String
    var keyword: Ident
    var id: Ident
    var title: StringLit?
    var effect: Effect?
    var apply: [Ident]?
    var to: [Ident]?
    var duration: DurationClause?
    /// The `despite punishment` flag's keyword, when given.
    var despite: Ident?
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
        effect = ClauseReader.condition(r.single(["punish", "reward"], duplicate: "rule '\(id.name)' has more than one 'punish when'/'reward when'"))
            .map { Effect(keyword: $0.keyword, condition: $0.condition) }
        apply = ClauseReader.idents(r.single("apply"))
        to = ClauseReader.idents(r.single("to"))
        duration = ClauseReader.duration(r.single(DurationClause.keywords, duplicate: "rule '\(id.name)' gives more than one duration"))
        despite = r.single("despite")?.kind.keyword
        unconfirmed = r.texts("unconfirmed")
        if case .date(_, let d)? = r.single("applies_from")?.kind { appliesFrom = d }
        if case .date(_, let d)? = r.single("applies_before")?.kind { appliesBefore = d }
        diagnostics += r.diagnostics
    }
}
