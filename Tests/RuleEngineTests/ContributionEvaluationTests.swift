import CreditRegistry
import Testing
@testable import RuleEngine

/// A person's decisions computed from the contributions of the organisations it serves
/// (``RelatedContribution``: each organisation evaluated once) equal those computed from the
/// organisations' facts (each organisation re-evaluated for every person serving it).
@Suite struct ContributionEvaluationTests {
    /// Generated organisations whose key persons are drawn from one pool of persons, so that
    /// each person serves several organisations in several roles; persons carry facts of their own.
    static func registry(seed: UInt64, around day: Day) -> [SubjectFacts] {
        var subjects = SyntheticFacts.generate(count: 3_000, seed: seed, around: day)
        let donors = subjects.filter { $0.kind == .naturalPerson }
        let pool = (0..<400).map { i -> SubjectFacts in
            let d = donors[i % donors.count]
            var p = SubjectFacts(code: "1Q" + String(repeating: "0", count: 16 - String(i).count) + String(i), kind: .naturalPerson, name: "人员\(i)", status: d.status,
                                 listEntries: d.listEntries, penalties: d.penalties)
            p.statusSince = d.statusSince
            return p
        }
        var persons = Dictionary(uniqueKeysWithValues: pool.map { ($0.code, $0) })
        for i in subjects.indices where subjects[i].kind != .naturalPerson {
            var rels = subjects[i].keyPersons.enumerated().map { k, r in
                RelationFact(role: r.role, from: r.from, to: pool[(i * 7 + k * 13) % pool.count].code, validFrom: r.validFrom,
                             validTo: r.validTo, recordID: r.recordID)
            }
            if i % 5 == 0, let first = rels.first {
                // The case names a directly responsible person (`holds directly_responsible`).
                rels.append(RelationFact(role: .directlyResponsible, from: first.from, to: pool[(i * 3) % pool.count].code,
                                         validFrom: first.validFrom, recordID: first.recordID))
            }
            if i % 97 == 0, let first = rels.first {
                // An organisation recorded as its own legal representative, on a list whose measures extend to it.
                subjects[i].listEntries.append(ListEntryFact(list: KnownList.dishonestDebtor, enteredOn: day.adding(days: -100), ground: "1",
                                                             recordIDs: [first.recordID + 2_000_000]))
                rels.append(RelationFact(role: .legalRepresentative, from: first.from, to: first.from, validFrom: first.validFrom,
                                         recordID: first.recordID + 1_000_000))
            }
            subjects[i].keyPersons = rels
            for r in rels {
                if r.to == subjects[i].code { subjects[i].roles.append(r) } else { persons[r.to]!.roles.append(r) }
            }
        }
        return subjects + persons.values.sorted { $0.code < $1.code }
    }

    /// The shipped rules, and rules whose `holds` conditions ask an organisation's status,
    /// penalties and list entries (one inner condition shared by two rules).
    static func ruleSets() throws -> [CompiledRuleSet] {
        let probe = SourceFile(path: "holds_probe.rules", text: """
            memorandum "测试〔2026〕2号" {
              title "任职企业条件"
              date 2026-01-01
              targets abnormal_operations
            }
            measure probe_honours {
              text "取消参加评先评优资格"
              department civilisation
              basis "测试〔2026〕2号"
              basic b_honours
              category social
            }
            rule probe_holds_status {
              title "任职企业被吊销"
              punish when holds legal_representative (status = revoked)
              apply probe_honours
              to subject
              for 3 years
            }
            rule probe_holds_penalty {
              title "任职企业受处罚"
              punish when kind = natural_person and holds finance_chief (penalty(severity in [general, serious]))
              apply probe_honours
              to subject
              for 3 years
            }
            rule probe_holds_listed {
              title "任职企业经营异常"
              punish when holds legal_representative (listed abnormal_operations) or holds finance_chief (listed abnormal_operations)
              apply probe_honours
              to subject
              for 1 year
            }
            """)
        let loaded = RuleSetLoader.load(sources: Support.shippedFiles + [probe])
        return [Support.shipped(), try #require(loaded.ruleSet, "\(loaded.renderedDiagnostics)")]
    }

    @Test func contributionsGiveTheDecisionsOfTheOrganisationsFacts() throws {
        for (n, rules) in try Self.ruleSets().enumerated() {
            #expect(rules.evaluatesThroughContributions)
            for asOf in [Support.day("2021-06-01"), Support.day("2024-06-01")] {
                let all = Self.registry(seed: 11 + UInt64(n), around: asOf)
                let byCode = Dictionary(uniqueKeysWithValues: all.map { ($0.code, $0) })
                // Contributions computed as a full materialisation computes them: from the fact kinds
                // they read, key persons added only when the subject may contribute.
                var contributions: [String: RelatedContribution] = [:]
                for f in all {
                    var read = Self.only(rules.contributionReads.subtracting([.keyPersons]), of: f)
                    guard rules.mayContribute(read, asOf: asOf) else {
                        #expect(rules.contribution(of: f, asOf: asOf) == nil, "\(f.code) contributes")
                        continue
                    }
                    read.keyPersons = f.keyPersons
                    contributions[f.code] = rules.contribution(of: read, asOf: asOf)
                }
                var decisions = 0, viaOrganisations = 0, probes = 0, toItself = 0
                for own in all {
                    let served = Set(own.roles.map(\.from)).subtracting([own.code]).sorted()
                    let related = served.compactMap { byCode[$0] }
                    let expected = rules.decisions(for: own.code, own: own, related: related, asOf: asOf)
                    let given = Set(own.roles.map(\.from)).sorted().compactMap { contributions[$0] }
                    let got = rules.decisions(for: own.code, own: own, contributions: given, asOf: asOf)
                    #expect(got == expected, "\(own.code) on \(asOf)")
                    // A full materialisation does not read the evaluated subject's own key persons.
                    var withoutKeyPersons = own
                    withoutKeyPersons.keyPersons = []
                    #expect(rules.decisions(for: own.code, own: withoutKeyPersons, contributions: given, asOf: asOf) == expected,
                            "\(own.code) on \(asOf), key persons not read")
                    decisions += expected.count
                    viaOrganisations += expected.filter { $0.via != nil }.count
                    probes += expected.filter { $0.ruleID.hasPrefix("probe_holds") }.count
                    toItself += expected.filter { $0.via?.organisation == own.code }.count
                }
                // The comparison covers measures extended to persons and, with the probe rules, `holds`.
                #expect(viaOrganisations > 20)
                #expect(decisions > viaOrganisations)
                if n == 1 { #expect(probes > 20) }
                #expect(toItself > 0)
                // Most organisations bring nothing: the contributions kept are few.
                #expect(contributions.count * 2 < all.count)
            }
        }
    }

    /// Every subject that may contribute has a row of one of the rules' contribution sources,
    /// and most subjects have none (they need not be read before the evaluation).
    @Test func contributingSubjectsHaveARowOfASource() throws {
        for (n, rules) in try Self.ruleSets().enumerated() {
            let sources = try #require(rules.contributionSources, "rule set \(n)")
            for asOf in [Support.day("2021-06-01"), Support.day("2024-06-01")] {
                let all = Self.registry(seed: 11 + UInt64(n), around: asOf)
                var contributing = 0, candidates = 0
                for f in all {
                    let candidate = sources.contains { Self.has($0, f) }
                    if candidate { candidates += 1 }
                    let read = Self.only(rules.contributionReads.subtracting([.keyPersons]), of: f)
                    guard rules.mayContribute(read, asOf: asOf) else { continue }
                    contributing += 1
                    #expect(candidate, "\(f.code) may contribute on \(asOf) without a row of \(sources)")
                }
                #expect(contributing > 0)
                #expect(candidates * 2 < all.count)
            }
        }
    }

    /// Conditions that may hold for a subject with no sparse row (an active enterprise) leave every subject a candidate.
    @Test func openConditionsMakeEverySubjectACandidate() throws {
        let probe = SourceFile(path: "open_probe.rules", text: """
            memorandum "测试〔2026〕4号" {
              title "企业条件"
              date 2026-01-01
              targets abnormal_operations
            }
            measure probe_open {
              text "取消参加评先评优资格"
              department civilisation
              basis "测试〔2026〕4号"
              basic b_honours
              category social
            }
            rule probe_open_extension {
              title "企业的法定代表人"
              punish when kind = enterprise and status = active
              apply probe_open
              to legal_representative
              for 1 year
            }
            """)
        let rules = try #require(RuleSetLoader.load(sources: Support.shippedFiles + [probe]).ruleSet)
        #expect(rules.evaluatesThroughContributions)
        #expect(rules.contributionSources == nil)
    }

    /// True when `f` has a row of `source` (its status as resolved for the day stands for its rows).
    static func has(_ source: ContributionSource, _ f: SubjectFacts) -> Bool {
        switch source {
        case .list(let id): f.listEntries.contains { $0.list == id }
        case .status(let statuses): statuses.contains(f.status)
        case .facts(let kind):
            switch kind {
            case .statuses: true
            case .listEntries: !f.listEntries.isEmpty
            case .taxGrades: !f.taxGrades.isEmpty
            case .penalties: !f.penalties.isEmpty
            case .licences: !f.licences.isEmpty
            case .keyPersons: !f.keyPersons.isEmpty
            case .roles: !f.roles.isEmpty
            }
        }
    }

    /// The facts of `kinds` (the subject row always; without statuses, the status the history left).
    static func only(_ kinds: Set<FactPresence.Kind>, of f: SubjectFacts) -> SubjectFacts {
        var out = SubjectFacts(code: f.code, kind: f.kind, name: f.name, status: f.status, statusSince: f.statusSince)
        if kinds.contains(.listEntries) { out.listEntries = f.listEntries }
        if kinds.contains(.taxGrades) { out.taxGrades = f.taxGrades }
        if kinds.contains(.penalties) { out.penalties = f.penalties }
        if kinds.contains(.licences) { out.licences = f.licences }
        if kinds.contains(.keyPersons) { out.keyPersons = f.keyPersons }
        if kinds.contains(.roles) { out.roles = f.roles }
        return out
    }

    /// The shipped rules' contributions read the organisations' lists, statuses and key persons only.
    @Test func shippedContributionsReadFewFactKinds() {
        let reads = Support.shipped().contributionReads
        #expect(reads.isSuperset(of: [.listEntries, .keyPersons, .statuses]))
        #expect(reads.isDisjoint(with: [.roles, .taxGrades, .licences]))
    }

    @Test func keyPersonConditionsNeedTheFacts() throws {
        let probe = SourceFile(path: "key_person_probe.rules", text: """
            memorandum "测试〔2026〕3号" {
              title "关键人员条件"
              date 2026-01-01
              targets abnormal_operations
            }
            measure probe_kp {
              text "取消参加评先评优资格"
              department civilisation
              basis "测试〔2026〕3号"
              basic b_honours
              category social
            }
            rule probe_key_person {
              title "法定代表人为自然人的经营异常企业"
              punish when listed abnormal_operations and key_person legal_representative (kind = natural_person)
              apply probe_kp
              to subject
              until exit
            }
            """)
        let rules = try #require(RuleSetLoader.load(sources: Support.shippedFiles + [probe]).ruleSet)
        #expect(rules.readsRelatedFacts)
        #expect(!rules.evaluatesThroughContributions)
    }
}
