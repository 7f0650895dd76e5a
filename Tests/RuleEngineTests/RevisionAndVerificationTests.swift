import CreditRegistry
import Foundation
import Testing
@testable import RuleEngine

/// A revising memorandum takes the later cases, explanations say why the revised one did not
/// fire, and the new syntax keeps its canonical layout.
@Suite struct RevisionAndVerificationTests {
    let rules = Support.shipped()

    @Test func explanationSaysTheRevisedMemorandumKeepsOnlyEarlierCases() {
        let firm = SubjectFacts(code: "91350100M000100Y43", kind: .enterprise, name: "x",
                                listEntries: [ListEntryFact(list: KnownList.majorTaxViolation, enteredOn: Support.day("2021-05-10"), recordIDs: [1])])
        let e = rules.explain(firm, asOf: Support.day("2022-01-01"))
        let old = e.rules.first { $0.ruleID == "tax_enterprise" }
        #expect(old?.outcome == .notMet)
        #expect(old?.reason == "the rule applies to facts that trigger before 2016-12-01 only")
        #expect(e.rules.first { $0.ruleID == "tax2016_enterprise" }?.outcome == .fired)
        let court = e.rules.first { $0.ruleID == "tax2016_court_enforced" }
        #expect(court?.reason.hasSuffix("to verify: court_enforced") == true)
        #expect(rules.rules.first { $0.id == "tax_enterprise" }?.appliesBefore == Support.day("2016-12-01"))
        #expect(rules.rules.first { $0.id == "tax2016_enterprise" }?.appliesFrom == Support.day("2016-12-01"))
    }

    @Test func newSyntaxFormatsCanonicallyAndIdempotently() throws {
        let src = """
        department saic   "国家工商行政管理总局"  until 2018-04-10   successor samr
        department samr "国家市场监督管理总局"
        list serious_violation "严重违法失信企业名单" owner saic   fed authoritative
        basic b_x "限制" item "一"

        memorandum "M" {
          title "t"
          date 2020-01-01
        }

        measure m {
          text "x"
          item "（二）"
          department saic
          cooperating samr
          basis "M"
          basic b_x
          category administrative
        }

        rule r {
          punish when listed serious_violation and verified tax_unpaid
          apply m
          to subject, named finance_chief
          applies_from 2020-01-01
          until exit
        }
        """
        let (once, diags) = RuleFormatter.format(src, path: "x.rules")
        #expect(!diags.hasErrors, "\(diags)")
        let text = try #require(once)
        #expect(text.contains("department saic \"国家工商行政管理总局\" until 2018-04-10 successor samr\n"))
        #expect(text.contains("list serious_violation \"严重违法失信企业名单\" owner saic fed authoritative\n"))
        #expect(text.contains("  to subject, named finance_chief\n"))
        #expect(RuleFormatter.format(text, path: "x.rules").text == text)
        let loaded = RuleSetLoader.load(sources: [SourceFile(path: "x.rules", text: text)])
        #expect(loaded.ruleSet != nil, "\(loaded.renderedDiagnostics)")
    }

    @Test func unknownFactToVerifyAndMissingBasicAreReported() {
        let src = """
        department mof "财政部"
        list procurement_dishonest "名单" owner mof
        basic b_p "限制参与政府采购" item "一"

        memorandum "M" {
          title "t"
          date 2020-01-01
        }

        measure m {
          text "x"
          department mof
          basis "M"
          category administrative
        }

        rule r {
          punish when listed procurement_dishonest and verified tax_unpayed
          apply m
        }

        rule r2 {
          punish when listed procurement_dishonest or verified tax_unpaid
          apply m
          applies_from 2021-01-01
          applies_before 2020-01-01
        }
        """
        let loaded = RuleSetLoader.load(sources: [SourceFile(path: "y.rules", text: src)])
        let codes = loaded.diagnostics.map(\.code)
        #expect(codes.contains("check.unknownFact"))
        #expect(codes.contains("check.notInBasicList"))
        #expect(codes.contains("check.verifiedPlacement"))
        #expect(codes.contains("check.neverFires"))
    }
}
