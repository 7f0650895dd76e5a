/// An in-file test's clauses as written: its subjects and expectations, in order.
struct TestClauses: Sendable {
    /// One `expect …` clause with its location and canonical text (for failure messages).
    struct Expect: Sendable {
        var expectation: Expectation
        var range: SourceRange
        var text: String
    }

    var file: String
    var name: Ident
    var subjects: [SubjectDecl]
    var expectations: [Expect]

    init(_ block: Block, file: String) {
        self.file = file
        name = ClauseReader(block).id
        subjects = block.clauses.compactMap { if case .subject(_, let s) = $0.kind { s } else { nil } }
        expectations = block.clauses.compactMap { c in
            if case .expect(_, let e) = c.kind { Expect(expectation: e, range: c.range, text: RuleFormatter.clauseText(c.kind)) } else { nil }
        }
    }
}
