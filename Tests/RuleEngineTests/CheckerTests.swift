import Testing
@testable import RuleEngine

private let header = """
memorandum "M1" {
  title "t"
  date 2020-01-01
}

"""

private let measure = """
measure m1 {
  text "x"
  department sat
  basis "b"
  category administrative
}

"""

private func rule(_ body: String) -> String { header + measure + "rule r1 {\n" + body + "\n}\n" }

struct CheckerCase: Sendable, CustomStringConvertible {
    var name: String
    var source: String
    var code: String
    var line: Int
    var column: Int
    var message: String
    var description: String { name }
}

private let cases: [CheckerCase] = [
    .init(name: "unknown list", source: rule("  punish when listed foo\n  apply m1"), code: "check.unknownList", line: 12, column: 22,
          message: "unknown list 'foo'"),
    .init(name: "unknown department", source: header + measure.replacingOccurrences(of: "department sat", with: "department satt") + "rule r1 {\n  punish when listed dishonest_debtor\n  apply m1\n}\n",
          code: "check.unknownDepartment", line: 7, column: 14, message: "unknown department 'satt'"),
    .init(name: "unknown measure", source: rule("  punish when listed dishonest_debtor\n  apply m2"), code: "check.unknownMeasure", line: 13, column: 9,
          message: "unknown measure 'm2'"),
    .init(name: "unknown field", source: rule("  punish when foo = 3\n  apply m1"), code: "check.unknownField", line: 12, column: 15,
          message: "unknown field 'foo'"),
    .init(name: "grade compared with a number", source: rule("  punish when latest_grade = 3\n  apply m1"), code: "check.typeMismatch", line: 12, column: 30,
          message: "cannot compare a tax grade with a number"),
    .init(name: "ordering a grade", source: rule("  punish when latest_grade > A\n  apply m1"), code: "check.typeMismatch", line: 12, column: 28,
          message: "'>' cannot compare a tax grade"),
    .init(name: "unknown value", source: rule("  punish when listed dishonest_debtor and kind = company\n  apply m1"), code: "check.unknownValue", line: 12, column: 50,
          message: "'company' is not a subject kind"),
    .init(name: "duplicate id", source: header + measure + measure, code: "check.duplicateID", line: 11, column: 9,
          message: "duplicate measure 'm1'"),
    .init(name: "measure without basis", source: header + measure.replacingOccurrences(of: "  basis \"b\"\n", with: ""), code: "check.missingBasis", line: 5, column: 1,
          message: "measure 'm1' has no legal basis"),
    .init(name: "natural person has no legal representative",
          source: rule("  punish when listed dishonest_debtor and kind = natural_person\n  apply m1\n  to legal_representative"),
          code: "check.neverFires", line: 14, column: 6, message: "a natural person has no legal_representative: rule 'r1' can never reach it"),
    .init(name: "contradictory kinds", source: rule("  punish when listed dishonest_debtor and kind = enterprise and kind = natural_person\n  apply m1"),
          code: "check.neverFires", line: 12, column: 15, message: "contradictory conditions: kind cannot satisfy all of them at once"),
    .init(name: "list nobody can be on", source: rule("  punish when listed ghost\n  apply m1"), code: "check.unreachableList", line: 12, column: 22,
          message: "nobody can be on list 'ghost': no feed fills it and no 'derive' adds to it"),
    .init(name: "unknown role", source: rule("  punish when listed dishonest_debtor\n  apply m1\n  to legal_rep"), code: "check.unknownRole", line: 14, column: 6,
          message: "unknown role 'legal_rep'"),
    .init(name: "publicity needs a penalty", source: rule("  punish when listed dishonest_debtor\n  apply m1\n  for publicity general 3 months to 1 year"),
          code: "check.durationNeedsPenalty", line: 14, column: 3, message: "this duration is counted from a penalty, but the condition has no 'penalty(…)'"),
    .init(name: "no triggering fact", source: rule("  punish when kind = enterprise\n  apply m1"), code: "check.noTrigger", line: 12, column: 15,
          message: "nothing in this condition dates the case (a listing, penalty, grade, revoked licence or status)"),
    .init(name: "derivation cycle", source: header + measure + "derive d1 {\n  when listed serious_violation\n  add to serious_violation\n}\nrule r1 {\n  punish when listed serious_violation\n  apply m1\n}\n",
          code: "check.derivationCycle", line: 11, column: 8, message: "list 'serious_violation' is derived, directly or not, from itself"),
    .init(name: "measure outside a memorandum", source: measure, code: "check.noMemorandum", line: 1, column: 9,
          message: "measure 'm1' is in a file without a memorandum"),
    .init(name: "missing when", source: rule("  punish listed dishonest_debtor\n  apply m1"), code: "parse.expected", line: 12, column: 10,
          message: "expected 'when', found 'listed'"),
    .init(name: "unknown clause", source: rule("  punish when listed dishonest_debtor\n  aply m1"), code: "parse.unknownClause", line: 13, column: 3,
          message: "'aply' is not a clause of a rule"),
    .init(name: "unterminated string", source: header + measure.replacingOccurrences(of: "text \"x\"", with: "text \"x"), code: "parse.unterminatedString",
          line: 6, column: 8, message: "string is not closed before the end of the line"),
    .init(name: "invalid date", source: header.replacingOccurrences(of: "2020-01-01", with: "2020-02-30"), code: "parse.invalidDate", line: 3, column: 8,
          message: "'2020-02-30' is not a calendar date"),
]

@Suite struct CheckerTests {
    @Test(arguments: cases)
    func reportsError(_ c: CheckerCase) {
        let loaded = RuleSetLoader.load(sources: [Support.catalogFixture, SourceFile(path: "case.rules", text: c.source)])
        #expect(loaded.ruleSet == nil)
        let found = loaded.diagnostics.first { $0.code == c.code && $0.range.file == "case.rules" }
        #expect(found != nil, "no \(c.code) in:\n\(loaded.renderedDiagnostics)")
        if let d = found {
            #expect(d.range.start.line == c.line, "\(d)")
            #expect(d.range.start.column == c.column, "\(d)")
            #expect(d.message == c.message)
            #expect(d.severity == .error)
        }
    }

    @Test func collectsAllErrorsSorted() {
        let src = rule("  punish when listed foo and latest_grade = 3\n  apply m9\n  to legal_rep")
        let loaded = RuleSetLoader.load(sources: [Support.catalogFixture, SourceFile(path: "case.rules", text: src)])
        let codes = loaded.diagnostics.filter { $0.range.file == "case.rules" && $0.severity == .error }.map(\.code)
        #expect(codes == ["check.unknownList", "check.typeMismatch", "check.unknownMeasure", "check.unknownRole"])
        #expect(loaded.diagnostics == Diagnostic.sorted(loaded.diagnostics))
    }

    @Test func rendersCaretAndHint() {
        let src = rule("  punish when listed foo\n  apply m1")
        let loaded = RuleSetLoader.load(sources: [Support.catalogFixture, SourceFile(path: "rules/x.rules", text: src)])
        let text = loaded.renderedDiagnostics
        #expect(text.contains("rules/x.rules:12:22: error[check.unknownList]: unknown list 'foo'\n"))
        #expect(text.contains("   12 |   punish when listed foo\n"))
        #expect(text.contains("      |                      ^~~\n"))
        #expect(text.contains("hint: did you mean 'food_drug_serious_dishonest'?"))
    }

    @Test func caretUnderChineseTextCountsDoubleWidth() {
        let d = Diagnostic("x.y", at: SourceRange(file: "f", start: .init(line: 1, column: 8, offset: 7), end: .init(line: 1, column: 10, offset: 13)), "m")
        let out = DiagnosticRenderer.render(d, source: SourceFile(path: "f", text: "title \"中文\" oops"))
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[2] == "      | " + String(repeating: " ", count: 7) + "^~~~")
    }

    @Test func crossFileReferencesAreChecked() {
        let other = SourceFile(path: "b.rules", text: header.replacingOccurrences(of: "M1", with: "M2") + "rule r2 {\n  punish when listed dishonest_debtor\n  apply m1\n}\n")
        let ok = RuleSetLoader.load(sources: [Support.catalogFixture, SourceFile(path: "a.rules", text: header + measure), other])
        #expect(ok.ruleSet != nil, "\(ok.renderedDiagnostics)")
        let missing = RuleSetLoader.load(sources: [Support.catalogFixture, other])
        #expect(missing.diagnostics.contains { $0.code == "check.unknownMeasure" && $0.range.file == "b.rules" })
    }
}
