import CreditRegistry

/// Why each rule did or did not give measures to a subject on a day.
public struct Explanation: Sendable, Codable {
    public var subject: String
    public var asOf: Day
    public var ruleSetVersion: String
    /// List entries made by `derive` rules.
    public var derivedEntries: [DerivedListEntry]
    /// One trace per rule and derivation, by rule id.
    public var rules: [RuleTrace]
    /// The decisions in force (as ``CompiledRuleSet/evaluate(_:asOf:related:)`` returns them).
    public var decisions: [Decision]
}

public struct DerivedListEntry: Sendable, Codable, Hashable {
    public var list: String
    public var ruleID: String
    public var from: Day
    public var until: Day?
    public var records: [Int64]
}

public struct RuleTrace: Sendable, Codable, Hashable {
    public enum Outcome: String, Sendable, Codable, Hashable {
        /// Measures in force (or, for a derivation, an entry made).
        case fired
        /// A condition does not hold (see `reason`).
        case notMet = "not_met"
        /// The condition holds but the measures start after the day.
        case notYet = "not_yet"
        /// The measures' period ended before the day.
        case ended
        /// An incentive withheld because a punishment is in force.
        case withheld
    }
    public var ruleID: String
    public var kind: RuleInfo.Kind
    public var memorandum: String
    public var outcome: Outcome
    public var reason: String
    /// Records behind the outcome (those of the witnesses in force, or of the ended/not-yet periods).
    public var records: [Int64]
    public var conditions: [ConditionTrace]
    public var fired: Bool { outcome == .fired }
}

/// One top-level condition of a rule (a conjunct), and whether it held.
public struct ConditionTrace: Sendable, Codable, Hashable {
    public var text: String
    /// True when some fact made it hold on or before the day.
    public var held: Bool
    public var detail: String
    public var records: [Int64]
}

extension CompiledRuleSet {
    /// Explains the evaluation of one subject on one day: every rule and derivation, whether it
    /// fired, and if not which condition failed; and the records involved.
    public func explain(_ facts: SubjectFacts, asOf: Day, related: [SubjectFacts] = []) -> Explanation {
        var e = Evaluation(program: program, facts: facts, asOf: asOf.ordinal, related: RelatedFacts(lead: nil, others: related, excluding: nil))
        let raw = e.causes()
        let punished = raw.contains { program.rules[$0.rule].isPunishment && $0.subject == facts.code }
        var traces: [RuleTrace] = []
        for d in program.derives {
            traces.append(trace(&e, id: d.id, kind: .derivation, memorandum: d.memorandum, condition: d.condition,
                                conjuncts: d.conjuncts, duration: d.duration, window: (d.appliesFrom, d.appliesBefore), withheld: false))
        }
        for r in program.rules {
            traces.append(trace(&e, id: r.id, kind: r.isPunishment ? .punishment : .incentive, memorandum: r.memorandum,
                                condition: r.condition, conjuncts: r.conjuncts, duration: r.duration,
                                window: (r.appliesFrom, r.appliesBefore), withheld: !r.isPunishment && !r.despitePunishment && punished))
        }
        traces.sort { $0.ruleID < $1.ruleID }
        let derived = e.derived.map { d in
            DerivedListEntry(list: program.listIDs[d.list], ruleID: program.derives[d.rule].id, from: Day(ordinal: d.witness.start),
                             until: d.witness.end >= Interval.posInf ? nil : Day(ordinal: d.witness.end), records: d.witness.records.sorted())
        }
        return Explanation(subject: facts.code, asOf: asOf, ruleSetVersion: version, derivedEntries: derived, rules: traces,
                           decisions: raw.isEmpty ? [] : finalize(raw, asOf: asOf))
    }

    private static func day(_ o: Int) -> String { Day(ordinal: o).description }

    private static func describe(_ ws: [Witness]) -> String {
        ws.prefix(3).map { w -> String in
            if w.start <= Interval.negInf && w.end >= Interval.posInf && !w.toVerify.isEmpty {
                return "unknown: to verify (\(w.toVerify.joined(separator: ", ")))"
            }
            let s = w.start <= Interval.negInf ? "always" : "from \(day(w.start))"
            let e = w.end >= Interval.posInf ? "" : " until \(day(w.end))"
            return s + e
        }.joined(separator: "; ") + (ws.count > 3 ? "; …" : "")
    }

    private func trace(_ e: inout Evaluation, id: String, kind: RuleInfo.Kind, memorandum: String, condition: CCond,
                       conjuncts: [(CCond, String)], duration: CDuration, window: (from: Int, before: Int), withheld: Bool) -> RuleTrace {
        let asOf = e.asOf
        var conds: [ConditionTrace] = []
        for (c, text) in conjuncts {
            let ws = e.witnesses(c)
            let held = ws.contains { $0.start <= asOf }
            let detail = ws.isEmpty ? "no matching fact" : CompiledRuleSet.describe(ws)
            conds.append(ConditionTrace(text: text, held: held, detail: detail, records: Array(Set(ws.flatMap(\.records))).sorted()))
        }
        let ws = e.witnesses(condition)
        func make(_ o: RuleTrace.Outcome, _ reason: String, _ recs: [Int64]) -> RuleTrace {
            RuleTrace(ruleID: id, kind: kind, memorandum: memorandum, outcome: o, reason: reason, records: Array(Set(recs)).sorted(), conditions: conds)
        }
        if ws.isEmpty {
            if let failed = zip(conjuncts, conds).first(where: { !$0.1.held && $0.1.detail == "no matching fact" }) {
                return make(.notMet, "not met: \(failed.0.1)", [])
            }
            return make(.notMet, "the conditions never held at the same time", [])
        }
        let applicable = ws.filter { window.from <= $0.start && $0.start < window.before }
        if applicable.isEmpty {
            let bounds = [window.from > Interval.negInf ? "from \(CompiledRuleSet.day(window.from))" : nil,
                          window.before < Interval.posInf ? "before \(CompiledRuleSet.day(window.before))" : nil].compactMap { $0 }
            return make(.notMet, "the rule applies to facts that trigger \(bounds.joined(separator: " and ")) only", ws.flatMap(\.records))
        }
        let periods = applicable.compactMap { w in Evaluation.period(duration, w).map { (w, $0.0, $0.1) } }
        if periods.isEmpty {
            return make(.notMet, "no period applies to the triggering facts (e.g. a severity with no publicity period)", ws.flatMap(\.records))
        }
        let inForce = periods.filter { $0.1 <= asOf && asOf < $0.2 }
        if !inForce.isEmpty {
            let recs = inForce.flatMap(\.0.records)
            if withheld { return make(.withheld, "withheld: a punishment is in force for the subject on this day", recs) }
            let p = inForce[0]
            let span = "from \(CompiledRuleSet.day(p.1))" + (p.2 >= Interval.posInf ? " (open-ended)" : " until \(CompiledRuleSet.day(p.2))")
            let verify = Set(inForce.flatMap(\.0.toVerify)).sorted()
            return make(.fired, "in force \(span)" + (verify.isEmpty ? "" : "; to verify: \(verify.joined(separator: ", "))"), recs)
        }
        if periods.allSatisfy({ $0.1 > asOf }) {
            let first = periods.map(\.1).min()!
            return make(.notYet, "not yet in force: starts on \(CompiledRuleSet.day(first))", periods.flatMap(\.0.records))
        }
        let last = periods.filter { $0.2 <= asOf }.map(\.2).max() ?? asOf
        return make(.ended, "ended on \(CompiledRuleSet.day(last))", periods.flatMap(\.0.records))
    }
}
