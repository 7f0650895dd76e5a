import CreditRegistry
import RuleEngine

/// What is public, decided in one place for the public query and the open-data publication.
///
/// - **Who:** market entities and other organisations, individual businesses (个体工商户)
///   included; never natural persons. An entity is public from its establishment.
/// - **Identity:** name, code, kind, status on the day, establishment, registration authority.
/// - **Penalties (双公示):** shown while a publicity rule of the active rule set (a rule whose
///   duration is `for publicity …`, e.g. `penalty_publicity_period` of the credit-repair rules:
///   general 3 months to 1 year, serious 1 year to 3 years, earlier after repair) keeps the
///   penalty's measure in force; a minor penalty, a revoked one, one past its period or one
///   repaired after the minimum period is not shown. The period shown is the rule's.
/// - **Licences (双公示):** shown from the grant until the validity ends or the licence is revoked.
/// - **Lists:** memberships of the lists in ``publicLists`` from entry until exit.
///
/// Facts are taken as known on the day: a repair, exit or revocation dated after it is not yet
/// known, exactly as a report of that day sees them.
///
/// ```swift
/// let definition = try PublicDefinition(rules: compiledRules)
/// let record = definition.record(inputs, on: try Day("2026-11-30"))   // nil: not public
/// ```
public struct PublicDefinition: Sendable {
    /// The public lists by id, with their Chinese names. Travel bans of natural persons
    /// (`railway_dishonest`, `civil_aviation_dishonest`) are not market-entity lists and are left out.
    public static let publicLists: [String: String] = [
        KnownList.abnormalOperations: "经营异常名录",
        KnownList.seriousViolation: "严重违法失信名单",
        KnownList.dishonestDebtor: "失信被执行人名单",
        KnownList.majorTaxViolation: "重大税收违法失信主体",
        KnownList.foodDrugSeriousDishonest: "食品药品严重失信者名单",
        KnownList.wageArrears: "拖欠农民工工资失信联合惩戒对象名单",
        KnownList.safetyProduction: "安全生产严重失信主体名单",
        KnownList.environmental: "环境保护领域严重失信主体名单",
        KnownList.customsDishonest: "海关失信企业名单",
        KnownList.customsAEO: "海关高级认证企业名单",
        KnownList.procurementDishonest: "政府采购严重违法失信行为记录名单",
        KnownList.statisticsDishonest: "统计严重失信企业名单",
    ]

    /// The rule set that decides the publicity of penalties.
    public let rules: CompiledRuleSet
    /// Ids of the rules whose duration is a publicity period.
    public let publicityRules: Set<String>

    /// Fails when the rule set declares no publicity rule: the publicity of penalties would be
    /// undecided.
    public init(rules: CompiledRuleSet) throws {
        self.rules = rules
        publicityRules = Set(rules.rules.filter { $0.duration.hasPrefix("for publicity") }.map(\.id))
        guard !publicityRules.isEmpty else { throw PublicDefinitionError.noPublicityRule(version: rules.version) }
    }

    /// The kinds of subject that are public.
    public static func isPublic(_ kind: SubjectKind) -> Bool { kind != .naturalPerson }

    /// The public record of `inputs` on `day`, or nil when the subject is not public that day.
    public func record(_ inputs: PublicInputs, on day: Day) -> PublicRecord? {
        let s = inputs.subject
        guard Self.isPublic(s.kind) else { return nil }
        if let established = s.establishedOn, established > day { return nil }
        func known(_ d: Day?) -> Day? { d.flatMap { $0 <= day ? $0 : nil } }

        var status = s.status, statusSince = s.statusSince
        if let last = inputs.statusHistory.last(where: { $0.since <= day }) {
            status = last.status; statusSince = last.since
        } else if let since = s.statusSince, since > day {
            status = .active; statusSince = nil
        }
        let subject = PublicSubject(code: s.code, name: s.name, kind: s.kind, status: status, statusLabel: status.chinese,
                                    statusSince: statusSince, establishedOn: s.establishedOn,
                                    registrationAuthority: s.authority, region: s.region)

        let licences = inputs.licences.compactMap { item -> PublicLicence? in
            let l = item.fact
            guard l.grantedOn <= day else { return nil }
            let ends = [l.validUntil, known(l.revokedOn)].compactMap { $0 }
            let until = ends.min()
            guard until.map({ day < $0 }) ?? true else { return nil }
            return PublicLicence(key: item.key, number: l.number, type: l.type, grantedOn: l.grantedOn, validUntil: l.validUntil,
                                 period: PublicPeriod(from: l.grantedOn, until: until), source: item.source)
        }.sorted { $0.key < $1.key }

        let lists = inputs.lists.compactMap { item -> PublicListMembership? in
            let e = item.fact
            guard let name = Self.publicLists[e.list], e.enteredOn <= day else { return nil }
            let exit = known(e.exitedOn)
            guard exit.map({ day < $0 }) ?? true else { return nil }
            return PublicListMembership(key: item.key, list: e.list, listName: name, enteredOn: e.enteredOn, ground: e.ground,
                                        authority: item.authority, period: PublicPeriod(from: e.enteredOn, until: exit), source: item.source)
        }.sorted { $0.key < $1.key }

        return PublicRecord(asOf: day, subject: subject, licences: licences, penalties: penalties(inputs, status: status, on: day),
                            lists: lists)
    }

    /// The penalties a publicity rule keeps in force on `day`, with the rule's period.
    private func penalties(_ inputs: PublicInputs, status: SubjectStatus, on day: Day) -> [PublicPenalty] {
        func known(_ d: Day?) -> Day? { d.flatMap { $0 <= day ? $0 : nil } }
        let candidates = inputs.penalties.filter { $0.fact.decidedOn <= day }
        guard !candidates.isEmpty else { return [] }
        let s = inputs.subject
        let facts = SubjectFacts(
            code: s.code, kind: s.kind, name: s.name, status: status,
            listEntries: inputs.lists.filter { $0.fact.enteredOn <= day }.map { var f = $0.fact; f.exitedOn = known(f.exitedOn); return f },
            penalties: candidates.map { var p = $0.fact; p.repairedOn = known(p.repairedOn); p.revokedOn = known(p.revokedOn); return p },
            licences: inputs.licences.filter { $0.fact.grantedOn <= day }.map { var l = $0.fact; l.revokedOn = known(l.revokedOn); return l })
        var periods: [Int64: PublicPeriod] = [:]
        for decision in rules.evaluate(facts, asOf: day) where decision.subject == s.code {
            for cause in decision.causes where cause.via == nil && publicityRules.contains(cause.ruleID) {
                for record in cause.records {
                    let p = PublicPeriod(from: cause.from, until: cause.until)
                    if let old = periods[record], (old.until?.ordinal ?? Int.max) >= (p.until?.ordinal ?? Int.max) { continue }
                    periods[record] = p
                }
            }
        }
        return candidates.compactMap { item -> PublicPenalty? in
            let p = item.fact
            guard let period = periods[p.recordID] else { return nil }
            let cents = p.fineMicroWan
            return PublicPenalty(key: item.key, documentNumber: p.documentNumber, decidedOn: p.decidedOn, types: p.types,
                                 fineYuan: "\(cents / 100).\(cents % 100 < 10 ? "0" : "")\(cents % 100)", severity: p.severity.rawValue,
                                 authority: p.authority, period: period, source: item.source)
        }.sorted { $0.key < $1.key }
    }
}

/// The public definition cannot be built.
public enum PublicDefinitionError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The active rule set has no rule with a publicity period.
    case noPublicityRule(version: String)

    public var description: String {
        switch self {
        case .noPublicityRule(let v):
            "the active rule set \(v.prefix(12)) has no publicity rule (`for publicity …`): the publicity of penalties is undecided"
        }
    }
}
