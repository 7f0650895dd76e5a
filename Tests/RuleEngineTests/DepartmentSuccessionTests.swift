import CreditRegistry
import Foundation
import Testing
@testable import RuleEngine

/// Decisions name the department that holds the duty today, with its cooperating departments.
@Suite struct DepartmentSuccessionTests {
    static let source = """
    department saic "国家工商行政管理总局" until 2018-04-10 successor samr
    department samr "国家市场监督管理总局"
    department mof "财政部"
    department mlr "国土资源部" until 2018-04-10 successor mnr
    department mnr "自然资源部"
    list serious_violation "严重违法失信企业名单" owner saic authoritative

    memorandum "M1" {
      title "t"
      date 2016-01-01
    }

    measure land {
      text "限制取得土地使用权"
      item "（三）"
      department mlr
      cooperating mof
      basis "M1"
      category administrative
    }

    rule r {
      punish when listed serious_violation
      apply land
      until exit
    }
    """

    @Test func defect11_decisionsShowTodaysLeadAndCooperatingDepartments() throws {
        let loaded = RuleSetLoader.load(sources: [SourceFile(path: "m.rules", text: Self.source)])
        let rs = try #require(loaded.ruleSet)
        #expect(rs.measures[0].department.id == "mnr")
        #expect(rs.measures[0].namedDepartment.id == "mlr")
        #expect(rs.measures[0].item == "（三）")
        #expect(rs.lists.first { $0.id == "serious_violation" }?.owner?.id == "samr")
        let facts = SubjectFacts(code: "91350203M0001QKT19", kind: .enterprise, name: "x",
                                 listEntries: [ListEntryFact(list: "serious_violation", enteredOn: try Day("2017-01-01"), recordIDs: [1])])
        let ds = rs.evaluate(facts, asOf: try Day("2020-01-01"))
        #expect(ds.map(\.department.id) == ["mnr"])
        #expect(ds.first?.cooperating.map(\.id) == ["mof"])
    }

    @Test func successorCycleAndUnknownSuccessorAreRefused() {
        let src = """
        department a "A" until 2018-01-01 successor b
        department b "B" until 2019-01-01 successor a
        department c "C" until 2019-01-01 successor nowhere
        """
        let loaded = RuleSetLoader.load(sources: [SourceFile(path: "c.rules", text: src)])
        let codes = Set(loaded.diagnostics.map(\.code))
        #expect(codes.contains("check.successorCycle"))
        #expect(codes.contains("check.unknownDepartment"))
    }
}
