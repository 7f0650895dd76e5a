import CreditRegistry
import Testing
@testable import RuleEngine

@Suite struct EvaluationTests {
    let rules = Support.shipped()
    let acme = "91350100M000100Y43"
    let zhang = "11010519491231002X"
    let li = "110105198001010016"

    func taxCase() -> (SubjectFacts, SubjectFacts, SubjectFacts) {
        let current = RelationFact(role: .legalRepresentative, from: acme, to: zhang, validFrom: Support.day("2019-01-01"), recordID: 2)
        let former = RelationFact(role: .legalRepresentative, from: acme, to: li, validFrom: Support.day("2012-05-01"),
                                  validTo: Support.day("2019-01-01"), recordID: 3)
        let company = SubjectFacts(code: acme, kind: .enterprise, name: "厦门某某贸易有限公司",
                                   listEntries: [ListEntryFact(list: KnownList.majorTaxViolation, enteredOn: Support.day("2020-03-01"), recordIDs: [1])],
                                   keyPersons: [current, former])
        let z = SubjectFacts(code: zhang, kind: .naturalPerson, name: "张三", roles: [current])
        let l = SubjectFacts(code: li, kind: .naturalPerson, name: "李四", roles: [former])
        return (company, z, l)
    }

    @Test func majorTaxViolationReachesCurrentLegalRepresentativeOnly() {
        let (company, z, l) = taxCase()
        let asOf = Support.day("2020-06-01")
        let ds = rules.evaluate(company, asOf: asOf)
        let own = ds.filter { $0.subject == acme }.map(\.measureID)
        #expect(own.contains("tax_grade_d"))
        #expect(own.contains("tax_procurement_ban"))
        let grade = ds.first { $0.subject == acme && $0.measureID == "tax_grade_d" }!
        #expect(grade.from == Support.day("2020-03-01"))
        #expect(grade.until == Support.day("2023-03-01"))
        #expect(grade.causedBy == [1])
        #expect(grade.department.id == "sat")
        #expect(grade.memorandum == "发改财金〔2016〕2798号") // 2798号 revises 3062号 for cases from 2016-12-01
        #expect(grade.kind == .punishment)

        let personal = ds.filter { $0.subject == zhang }
        #expect(personal.contains { $0.measureID == "tax_exit_ban" })
        let exit = personal.first { $0.measureID == "tax_exit_ban" }!
        #expect(exit.via == Via(organisation: acme, role: .legalRepresentative))
        #expect(exit.causedBy.contains(2))
        #expect(exit.causes.count == 1) // only the revising memorandum fires
        #expect(exit.toVerify == ["tax_unpaid"])
        #expect(!ds.contains { $0.subject == li })

        let forZhang = rules.decisions(for: zhang, own: z, related: [company], asOf: asOf)
        #expect(forZhang.map(\.measureID).contains("tax_exit_ban"))
        #expect(forZhang.allSatisfy { $0.subject == zhang })
        #expect(rules.decisions(for: li, own: l, related: [company], asOf: asOf).isEmpty)
    }

    @Test func aGradeIncentivesStopTheDayAPunishmentStarts() {
        var firm = SubjectFacts(code: acme, kind: .enterprise, name: "深圳某某",
                                taxGrades: [TaxGradeFact(year: 2019, grade: .A, publishedOn: Support.day("2020-04-20"), recordID: 7)])
        let before = rules.evaluate(firm, asOf: Support.day("2020-08-31"))
        #expect(before.contains { $0.measureID == "a_green_channel" && $0.kind == .incentive })
        #expect(before.first { $0.measureID == "a_tax_credit_loan" }?.financial == true)
        firm.listEntries.append(ListEntryFact(list: KnownList.dishonestDebtor, enteredOn: Support.day("2020-09-01"), exitedOn: Support.day("2022-01-10"),
                                              ground: "3", recordIDs: [8]))
        #expect(rules.evaluate(firm, asOf: Support.day("2020-08-31")).contains { $0.measureID == "a_green_channel" })
        let after = rules.evaluate(firm, asOf: Support.day("2020-09-01"))
        #expect(!after.contains { $0.kind == .incentive })
        #expect(after.contains { $0.measureID == "dd_procurement_restriction" })
        // The court's removal ends the listing; incentives come back afterwards.
        #expect(rules.evaluate(firm, asOf: Support.day("2022-09-01")).contains { $0.measureID == "a_green_channel" })
    }

    @Test func endedListingsGiveNothingAfterTheEndButDoBefore() {
        let exited = SubjectFacts(code: acme, kind: .enterprise, name: "x",
                                  listEntries: [ListEntryFact(list: KnownList.abnormalOperations, enteredOn: Support.day("2018-01-01"),
                                                              exitedOn: Support.day("2019-01-01"), recordIDs: [5, 6])])
        let before = rules.evaluate(exited, asOf: Support.day("2018-12-31"))
        #expect(before.contains { $0.measureID == "ec_abnormal_publicity" && $0.until == Support.day("2019-01-01") && $0.causedBy == [5, 6] })
        #expect(rules.evaluate(exited, asOf: Support.day("2019-01-01")).isEmpty)

        let expiring = SubjectFacts(code: acme, kind: .enterprise, name: "x",
                                    listEntries: [ListEntryFact(list: KnownList.dishonestDebtor, enteredOn: Support.day("2018-01-10"), ground: "4", recordIDs: [9])])
        // The court's list governs: two years is only the expected term, the measures last until its removal.
        #expect(rules.evaluate(expiring, asOf: Support.day("2020-01-10")).contains { $0.measureID == "dd_credit_sharing" })
        #expect(rules.explain(expiring, asOf: Support.day("2017-01-01")).rules.first { $0.ruleID == "dd_subject" }?.outcome == .notYet)
    }

    @Test func derivedSeriousViolationListing() {
        let firm = SubjectFacts(code: acme, kind: .enterprise, name: "x",
                                listEntries: [ListEntryFact(list: KnownList.abnormalOperations, enteredOn: Support.day("2017-05-10"), recordIDs: [11])])
        #expect(!rules.evaluate(firm, asOf: Support.day("2020-05-09")).contains { $0.measureID == "ec_financing_restriction" })
        let ds = rules.evaluate(firm, asOf: Support.day("2020-05-10"))
        #expect(ds.first { $0.measureID == "ec_financing_restriction" }?.from == Support.day("2020-05-10"))
        let e = rules.explain(firm, asOf: Support.day("2020-05-10"))
        #expect(e.derivedEntries.map(\.list) == ["serious_violation"])
        #expect(e.rules.first { $0.ruleID == "ec_serious" }?.fired == true)
    }

    @Test func sameDecisionsInAnyFileOrderAndFactOrder() {
        var rng = SyntheticFacts.SplitMix(state: 7)
        var files = Support.shippedFiles
        files.shuffle(using: &rng)
        let other = RuleSetLoader.load(sources: files).ruleSet!
        #expect(other.version == rules.version)
        let asOf = Support.day("2024-06-01")
        let subjects = SyntheticFacts.generate(count: 400, seed: 3, around: asOf)
        var nonEmpty = 0
        for s in subjects {
            var shuffled = s
            shuffled.listEntries.shuffle(using: &rng)
            shuffled.taxGrades.shuffle(using: &rng)
            shuffled.penalties.shuffle(using: &rng)
            shuffled.keyPersons.shuffle(using: &rng)
            let a = rules.evaluate(s, asOf: asOf)
            let b = other.evaluate(shuffled, asOf: asOf)
            #expect(a == b)
            if !a.isEmpty { nonEmpty += 1 }
        }
        #expect(nonEmpty > 20)
    }

    @Test func penaltyPublicityBySeverityAndRepair() {
        let firm = SubjectFacts(code: acme, kind: .enterprise, name: "x", penalties: [
            PenaltyFact(documentNumber: "a", decidedOn: Support.day("2026-05-01"), types: ["罚款"], severity: .general,
                        repairedOn: Support.day("2026-10-01"), recordID: 21),
        ])
        #expect(rules.evaluate(firm, asOf: Support.day("2026-09-30")).first?.until == Support.day("2026-10-01"))
        #expect(rules.evaluate(firm, asOf: Support.day("2026-10-01")).isEmpty)
    }

    @Test func inFileTestsOfShippedRulesPass() {
        let report = RuleTestRunner.run(rules)
        #expect(report.results.count >= 14)
        #expect(report.failed == 0, "\(report.results.filter { !$0.passed })")
        #expect(report.summary == "\(report.results.count) passed, 0 failed")
    }

    @Test func shippedRulesCheckClean() {
        let loaded = RuleSetLoader.load(sources: Support.shippedFiles)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.renderedDiagnostics)")
        #expect(Set(rules.memoranda.map(\.number)).isSuperset(of: ["发改财金〔2016〕141号", "发改财金〔2014〕3062号", "发改财金〔2016〕2798号",
                                                                 "发改财金〔2016〕1962号", "发改财金〔2016〕1467号", "发改财金〔2015〕2045号"]))
        #expect(rules.memoranda.allSatisfy { !$0.unconfirmed.isEmpty })
        #expect(rules.extendsToRoles.contains(.legalRepresentative))
        #expect(rules.extendsToRoles.contains(.actualController))
    }

    @Test func failingInFileTestIsReportedWithLocation() {
        let bad = SourceFile(path: "bad.rules", text: """
        memorandum "M" {
          title "t"
          date 2020-01-01
        }

        test "wrong" {
          subject a "91350100M000100Y43" enterprise
          expect a on 2020-01-01 has tax_grade_d
        }

        """)
        let rs = RuleSetLoader.load(sources: Support.shippedFiles + [bad]).ruleSet!
        let r = RuleTestRunner.run(rs).results.first { $0.name == "wrong" }!
        #expect(!r.passed)
        #expect(r.failures.first?.hasPrefix("bad.rules:8:3: expect a on 2020-01-01 has tax_grade_d") == true)
    }
}
