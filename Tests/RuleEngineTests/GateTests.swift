import CreditRegistry
import Testing
@testable import RuleEngine

/// The evaluator skips a rule whose ``Gate`` the subject fails; these tests hold the gate to
/// never rejecting a subject the rule's condition would give a witness for.
@Suite struct GateTests {
    let rules = Support.shipped()

    /// Generated organisations, each with its legal representative as a related person whose
    /// facts are another generated subject's (so `key_person`/`holds` conditions find facts).
    func subjects(_ count: Int, seed: UInt64, around day: Day) -> [(SubjectFacts, [String: SubjectFacts])] {
        let generated = SyntheticFacts.generate(count: count, seed: seed, around: day)
        var out: [(SubjectFacts, [String: SubjectFacts])] = []
        for (i, org) in generated.enumerated() {
            guard let rel = org.keyPersons.first else { out.append((org, [:])); continue }
            let donor = generated[(i + 1) % generated.count]
            var person = SubjectFacts(code: rel.to, kind: .naturalPerson, name: "关联人\(i)", status: donor.status,
                                      listEntries: donor.listEntries, taxGrades: donor.taxGrades, penalties: donor.penalties,
                                      licences: donor.licences, roles: org.keyPersons.filter { $0.to == rel.to })
            person.statusSince = donor.statusSince
            out.append((org, [person.code: person]))
            out.append((person, [org.code: org]))
        }
        return out
    }

    @Test func aRejectedSubjectHasNoWitnessForTheRule() {
        var rejected = 0, checked = 0
        for asOf in [Support.day("2021-06-01"), Support.day("2024-06-01")] {
            for (facts, related) in subjects(2_000, seed: 7, around: asOf) {
                var e = Evaluation(program: rules.program, facts: facts, asOf: asOf.ordinal, related: RelatedFacts(lead: nil, others: Array(related.values), excluding: nil))
                for rule in rules.program.rules {
                    checked += 1
                    guard !e.passes(rule.gate) else { continue }
                    rejected += 1
                    #expect(e.witnesses(rule.condition).isEmpty, "rule \(rule.id) gated out \(facts.code) but holds")
                }
                for d in rules.program.derives where !e.passes(d.gate) {
                    #expect(e.witnesses(d.condition).isEmpty, "derive \(d.id) gated out \(facts.code) but holds")
                }
            }
        }
        // The gate does its work: most rules are skipped for most subjects.
        #expect(rejected * 2 > checked)
    }

    /// The shipped rules read the organisations a person serves (`holds` in rules to the
    /// subject only), never an organisation's key persons: a whole-registry stream skips those.
    @Test func shippedRulesReadNoKeyPersonsFacts() {
        #expect(rules.readsRelatedFacts)
        #expect(!rules.readsKeyPersonsFacts)
        #expect(rules.program.rules.contains { $0.condition.mentionsRelated(holds: true) })
    }

    @Test func gatesNeedOnlyWhatEveryAlternativeNeeds() {
        let penalty = CCond.penalty(CPenaltyFilter(terms: []))
        let enterprise = CCond.kind(1 << CMask.kindIndex(.enterprise))
        let person = CCond.kind(1 << CMask.kindIndex(.naturalPerson))
        let both = Gate(.and([enterprise, penalty, .listed(list: 2, grounds: nil, atLeast: nil)]))
        #expect(both.needs == Gate.penalties && both.kinds == 1 << CMask.kindIndex(.enterprise) && both.lists == [2])
        let either = Gate(.or([.and([enterprise, penalty]), .and([person, .revokedLicence(nil)])]))
        #expect(either.needs == 0 && either.lists.isEmpty)
        #expect(either.kinds == (1 << CMask.kindIndex(.enterprise)) | (1 << CMask.kindIndex(.naturalPerson)))
        #expect(Gate(.not(penalty)).needs == 0 && Gate(.not(enterprise)).kinds == .max)
        // "Fewer than one penalty" holds without any: it needs none; "at least one" needs one.
        let here = SourcePosition(line: 1, column: 1, offset: 0)
        let year = CPeriod(PeriodLit(amount: 1, unit: .year, range: SourceRange(file: "gate", start: here, end: here)))
        #expect(Gate(.count(CPenaltyFilter(terms: []), window: year, op: .lt, n: 1)).needs == 0)
        #expect(Gate(.count(CPenaltyFilter(terms: []), window: year, op: .ge, n: 1)).needs == Gate.penalties)
        #expect(Gate(.totalFine(CPenaltyFilter(terms: []), window: year, op: .le, micro: 5)).needs == 0)
        #expect(Gate(.keyPerson(.legalRepresentative, penalty)).needs == Gate.keyPersons)
        #expect(Gate(.holds(.legalRepresentative, penalty)).needs == Gate.roles)
    }
}
