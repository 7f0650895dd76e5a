import CreditRegistry
import Testing
@testable import RuleEngine

private let memorandum = """
memorandum "M1" {
  title "t"
  date 2020-01-01
  signatories 3
}

"""

private let measure = """
measure m1 {
  text "x"
  department sat
  basis "b"
  category market
}

"""

private let rule = """
rule r1 {
  punish when listed dishonest_debtor
  apply m1
}

"""

private let derive = """
derive d1 {
  when listed dishonest_debtor
  add to serious_violation
}

"""

private func without(_ block: String, _ line: String) -> String {
    block.replacingOccurrences(of: "  \(line)\n", with: "")
}

struct MissingClauseCase: Sendable, CustomStringConvertible {
    var description: String
    var source: String
    var code: String
    var message: String
}

private let missing: [MissingClauseCase] = [
    .init(description: "memorandum without title", source: without(memorandum, "title \"t\"") + measure + rule,
          code: "check.missingClause", message: "memorandum 'M1' has no title"),
    .init(description: "memorandum without date", source: without(memorandum, "date 2020-01-01") + measure + rule,
          code: "check.missingClause", message: "memorandum 'M1' has no date"),
    .init(description: "measure without text", source: memorandum + without(measure, "text \"x\"") + rule,
          code: "check.missingClause", message: "measure 'm1' has no text"),
    .init(description: "measure without department", source: memorandum + without(measure, "department sat") + rule,
          code: "check.missingClause", message: "measure 'm1' has no implementing department"),
    .init(description: "measure without basis", source: memorandum + without(measure, "basis \"b\"") + rule,
          code: "check.missingBasis", message: "measure 'm1' has no legal basis"),
    .init(description: "measure without category", source: memorandum + without(measure, "category market") + rule,
          code: "check.missingClause", message: "measure 'm1' has no category"),
    .init(description: "rule without effect", source: memorandum + measure + without(rule, "punish when listed dishonest_debtor"),
          code: "check.missingClause", message: "rule 'r1' has no 'punish when …' or 'reward when …'"),
    .init(description: "rule without apply", source: memorandum + measure + without(rule, "apply m1"),
          code: "check.missingClause", message: "rule 'r1' applies no measure"),
    .init(description: "derive without when", source: memorandum + measure + rule + without(derive, "when listed dishonest_debtor"),
          code: "check.missingClause", message: "derive 'd1' has no 'when …'"),
    .init(description: "derive without add", source: memorandum + measure + rule + without(derive, "add to serious_violation"),
          code: "check.missingClause", message: "derive 'd1' has no 'add to <list>'"),
]

/// Parses and checks the catalogue fixture with one more file.
private func check(_ source: String) -> (Declarations, [Diagnostic]) {
    let catalog = Support.catalogFixture
    let (a, _) = Parser.parse(catalog.text, file: catalog.path)
    let (b, parseErrors) = Parser.parse(source, file: "case.rules")
    #expect(parseErrors.isEmpty, "\(parseErrors)")
    return Checker.check([a, b])
}

@Suite struct ResolverTests {
    @Test(arguments: missing)
    func missingRequiredClauseIsAnError(_ c: MissingClauseCase) throws {
        let (declarations, diagnostics) = check(c.source)
        let errors = diagnostics.filter { $0.severity == .error }
        #expect(errors.map(\.code) == [c.code], "\(errors)")
        let d = try #require(errors.first)
        #expect(d.message == c.message)
        #expect(d.range.start.column == 1, "reported at the block's keyword")
        #expect(!diagnostics.contains { $0.code == "check.unresolved" })
        // The incomplete declaration is not resolved, and nothing stands in for it.
        let names = declarations.memoranda.map(\.number.name) + declarations.measures.map(\.id.name)
            + declarations.rules.map(\.id.name) + declarations.derives.map(\.id.name)
        #expect(!names.contains(c.message.split(separator: "'")[1].description))
    }

    @Test(arguments: missing)
    func loaderRefusesToCompileWithoutARequiredClause(_ c: MissingClauseCase) {
        let loaded = RuleSetLoader.load(sources: [Support.catalogFixture, SourceFile(path: "case.rules", text: c.source)])
        #expect(loaded.ruleSet == nil)
        #expect(loaded.diagnostics.contains { $0.code == c.code && $0.message == c.message })
    }

    @Test func resolvedDeclarationsCarryTypedValues() throws {
        let source = memorandum + measure + """
        rule r1 {
          title "persons"
          punish when listed dishonest_debtor and penalty(severity = serious)
          apply m1
          to subject, legal_representative
          for publicity serious 1 year to 3 years
        }

        """ + derive
        let (d, diagnostics) = check(source)
        #expect(!diagnostics.hasErrors, "\(diagnostics)")

        let m = try #require(d.memoranda.first)
        #expect(m.number.name == "M1" && m.title == "t" && m.signatories == 3)
        #expect(m.date == Support.day("2020-01-01"))

        let measure = try #require(d.measures.first)
        #expect(measure.category == .market)
        #expect(measure.department == DepartmentRef(id: "sat", name: "国家税务总局"))
        #expect(measure.memorandum == "M1")

        let r = try #require(d.rules.first)
        #expect(r.isPunishment && r.title == "persons")
        #expect(r.targets == [.subject, .role(.legalRepresentative)])
        #expect(r.measures.map { d.measures[$0].id.name } == ["m1"])
        guard case .publicity(let bands) = r.duration.kind else { Issue.record("not publicity: \(r.duration)"); return }
        #expect(bands.map(\.severity) == [.serious])
        #expect(r.duration.text == "for publicity serious 1 year to 3 years")

        let derived = try #require(d.derives.first)
        #expect(d.lists[derived.list].id == "serious_violation")
        #expect(derived.duration == .whileHeld)
        #expect(d.lists[derived.list].derivedBy == ["d1"])
    }

    @Test func testBlocksResolveToFacts() throws {
        let source = memorandum + measure + rule + """
        test "t1" {
          subject acme "91350200000000000A" enterprise {
            listed dishonest_debtor from 2020-03-01 ground 1 record 11
            legal_representative bob from 2019-01-01
          }
          subject bob "350200199001010011" natural_person "Bob"
          expect acme on 2020-06-01 has m1 from 2020-03-01 until open
        }

        """
        let (d, diagnostics) = check(source)
        #expect(!diagnostics.hasErrors, "\(diagnostics)")
        let t = try #require(d.tests.first)
        #expect(t.subjects.map(\.alias) == ["acme", "bob"])
        let acme = t.subjects[0].facts
        #expect(acme.listEntries == [ListEntryFact(list: "dishonest_debtor", enteredOn: Support.day("2020-03-01"), ground: "1", recordIDs: [11])])
        #expect(acme.keyPersons.map(\.to) == ["350200199001010011"])
        #expect(t.subjects[1].facts.roles.map(\.from) == ["91350200000000000A"])
        #expect(t.subjects[1].facts.name == "Bob")
        let e = try #require(t.expectations.first)
        #expect(e.code == "91350200000000000A" && e.from == Support.day("2020-03-01"))
        #expect(e.until == .some(nil))
    }

    @Test func aTestRecordThatIsNotAnIdIsAnError() {
        let source = memorandum + measure + rule + """
        test "t1" {
          subject acme "91350200000000000A" enterprise {
            listed dishonest_debtor from 2020-03-01 record 1.5
          }
          expect acme on 2020-06-01 has m1
        }

        """
        let (_, diagnostics) = check(source)
        #expect(diagnostics.filter { $0.severity == .error }.map(\.code) == ["check.invalidNumber"])
    }
}
