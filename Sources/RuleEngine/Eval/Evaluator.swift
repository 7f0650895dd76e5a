import CreditRegistry

/// One cause before merging: a measure for a subject from one rule and witness.
struct RawCause: Sendable {
    var subject: String
    var measure: Int
    var rule: Int
    var from: Int
    var until: Int
    var records: [Int64]
    var via: Via?
    var toVerify: [String] = []
}

/// A list entry made by a `derive` rule.
struct DerivedEntry: Sendable {
    var list: Int
    var rule: Int
    var witness: Witness
}

/// The evaluation of one subject's facts on one day.
struct Evaluation {
    let program: Program
    let facts: SubjectFacts
    let asOf: Int
    let related: RelatedFacts
    /// What the organisations the subject serves bring to its `holds` conditions, standing for
    /// their facts (``RelatedContribution``); used when `related` is empty.
    let contributions: [RelatedContribution]
    /// The subject's side of the rules' gates (``Gate``).
    let present: UInt8
    let kindBit: UInt16
    let statusBit: UInt8
    var lists: [[Witness]] = []
    var derived: [DerivedEntry] = []
    private var gradesSorted: [TaxGradeFact]?

    init(program: Program, facts: SubjectFacts, asOf: Int, related: RelatedFacts, contributions: [RelatedContribution] = []) {
        self.program = program
        self.facts = facts
        self.asOf = asOf
        self.related = related
        self.contributions = contributions
        present = Gate.present(facts)
        kindBit = 1 << CMask.kindIndex(facts.kind)
        statusBit = 1 << CMask.statusIndex(facts.status)
        if !facts.listEntries.isEmpty {
            lists = Array(repeating: [], count: program.listIDs.count)
            for e in facts.listEntries {
                guard let i = program.listIndex[e.list] else { continue }
                var w = Witness(start: e.enteredOn.ordinal, end: e.exitedOn?.ordinal ?? Interval.posInf, records: e.recordIDs, ground: e.ground)
                w.authoritative = program.authoritative[i]
                lists[i].append(w)
            }
            for i in lists.indices where lists[i].count > 1 {
                lists[i].sort(by: Evaluation.witnessOrder)
            }
        }
        for (ri, d) in program.derives.enumerated() where passes(d.gate) {
            let ws = witnesses(d.condition)
            for w in ws where d.appliesFrom <= w.start && w.start < d.appliesBefore {
                guard let (from, derivedUntil) = Evaluation.period(d.duration, w) else { continue }
                var until = derivedUntil
                if lists.isEmpty { lists = Array(repeating: [], count: program.listIDs.count) }
                // On a list whose owner governs, the owner's own entry (and its exit) takes over from the derived one.
                if program.authoritative[d.list] {
                    let own = lists[d.list].filter { $0.authoritative }
                    if own.contains(where: { $0.start <= from && from < $0.end }) { continue }
                    if let next = own.map(\.start).filter({ $0 > from }).min() { until = min(until, next) }
                }
                guard from < until else { continue }
                var entry = Witness(start: from, end: until, records: w.records)
                entry.ground = nil
                entry.toVerify = w.toVerify
                lists[d.list].append(entry)
                derived.append(DerivedEntry(list: d.list, rule: ri, witness: entry))
            }
        }
    }

    /// False when the subject lacks what a condition needs (it would give no witness).
    func passes(_ g: Gate) -> Bool {
        guard g.needs & present == g.needs, g.kinds & kindBit != 0, g.statuses & statusBit != 0 else { return false }
        for l in g.lists where l < 0 || l >= lists.count || lists[l].isEmpty { return false }
        return true
    }

    static func witnessOrder(_ a: Witness, _ b: Witness) -> Bool {
        if a.start != b.start { return a.start < b.start }
        if a.end != b.end { return a.end < b.end }
        if a.records != b.records { return a.records.lexicographicallyPrecedes(b.records) }
        return (a.ground ?? "") < (b.ground ?? "")
    }

    // MARK: conditions

    mutating func witnesses(_ c: CCond) -> [Witness] {
        switch c {
        case .and(let parts):
            var acc = witnesses(parts[0])
            var i = 1
            while i < parts.count && !acc.isEmpty {
                let next = witnesses(parts[i])
                if next.isEmpty { return [] }
                if next.count == 1 && next[0].start == Interval.negInf && next[0].end == Interval.posInf && next[0].records.isEmpty
                    && next[0].toVerify.isEmpty {
                    i += 1
                    continue
                }
                var out: [Witness] = []
                for a in acc { for b in next { if let x = a.intersect(b) { out.append(x) } } }
                acc = out
                i += 1
            }
            return acc
        case .or(let parts):
            var out: [Witness] = []
            for p in parts { out.append(contentsOf: witnesses(p)) }
            out.sort(by: Evaluation.witnessOrder)
            return out
        case .not(let inner):
            let ws = witnesses(inner)
            if ws.isEmpty { return Witness.always }
            let spans = ws.map { ($0.start, $0.end) }.sorted { $0 < $1 }
            var out: [Witness] = []
            var cursor = Interval.negInf
            for (s, e) in spans {
                if s > cursor { out.append(Witness(start: cursor, end: s, records: [])) }
                cursor = max(cursor, e)
            }
            if cursor < Interval.posInf { out.append(Witness(start: cursor, end: Interval.posInf, records: [])) }
            return out
        case .listed(let list, let grounds, let atLeast):
            guard list >= 0, list < lists.count, !lists[list].isEmpty else { return [] }
            var out: [Witness] = []
            for var w in lists[list] {
                if let g = grounds {
                    guard let wg = w.ground, g.contains(wg) else { continue }
                }
                if let p = atLeast {
                    w.start = p.add(to: w.start)
                    if w.start >= w.end { continue }
                }
                w.ground = nil
                out.append(w)
            }
            return out
        case .penalty(let filter):
            if facts.penalties.isEmpty { return [] }
            var out: [Witness] = []
            for p in facts.penalties where filter.matches(p) {
                let end = p.revokedOn?.ordinal ?? Interval.posInf
                guard p.decidedOn.ordinal < end else { continue }
                out.append(Witness(start: p.decidedOn.ordinal, end: end, records: [p.recordID], severity: p.severity,
                                   repaired: p.repairedOn?.ordinal, publicityEnd: p.publicityEnd?.ordinal))
            }
            out.sort { ($0.start, $0.records.first ?? 0) < ($1.start, $1.records.first ?? 0) }
            return out
        case .revokedLicence(let test):
            if facts.licences.isEmpty { return [] }
            var out: [Witness] = []
            for l in facts.licences {
                guard let r = l.revokedOn else { continue }
                if let t = test, !t.matches(l.type) { continue }
                out.append(Witness(start: r.ordinal, end: Interval.posInf, records: [l.recordID]))
            }
            out.sort { ($0.start, $0.records.first ?? 0) < ($1.start, $1.records.first ?? 0) }
            return out
        case .kind(let mask):
            return mask & kindBit != 0 ? Witness.always : []
        case .status(let mask):
            guard mask & statusBit != 0 else { return [] }
            return [Witness(start: facts.statusSince?.ordinal ?? Interval.negInf, end: Interval.posInf, records: [])]
        case .latestGrade(let mask):
            if facts.taxGrades.isEmpty { return [] }
            let gs = sortedGrades()
            var out: [Witness] = []
            for (i, g) in gs.enumerated() where mask & (1 << CMask.gradeIndex(g.grade)) != 0 {
                // A grade published the same day as a later one (a correction) never counts.
                if i + 1 < gs.count && gs[i + 1].publishedOn == g.publishedOn { continue }
                let end = gs[(i + 1)...].first { $0.publishedOn > g.publishedOn }?.publishedOn.ordinal ?? Interval.posInf
                out.append(Witness(start: g.publishedOn.ordinal, end: end, records: [g.recordID]))
            }
            return out
        case .gradeOf(let year, let mask):
            if facts.taxGrades.isEmpty { return [] }
            let gs = sortedGrades().filter { $0.year == year }
            var out: [Witness] = []
            for (i, g) in gs.enumerated() where mask & (1 << CMask.gradeIndex(g.grade)) != 0 {
                let end = i + 1 < gs.count ? gs[i + 1].publishedOn.ordinal : Interval.posInf
                if g.publishedOn.ordinal < end { out.append(Witness(start: g.publishedOn.ordinal, end: end, records: [g.recordID])) }
            }
            return out
        case .count(let filter, let window, let op, let n):
            let s = inWindow(filter, window)
            let k = Int64(s.count)
            guard CMask.compare(k, op, n) else { return [] }
            let records = s.map(\.recordID)
            guard op == .ge || op == .gt else { return [Witness(start: Interval.negInf, end: Interval.posInf, records: records)] }
            let m = Int(op == .ge ? n : n + 1)
            guard m >= 1 else { return [Witness(start: Interval.negInf, end: Interval.posInf, records: records)] }
            return [Witness(start: s[m - 1].decidedOn.ordinal, end: window.add(to: s[s.count - m].decidedOn.ordinal), records: records)]
        case .totalFine(let filter, let window, let op, let threshold):
            let s = inWindow(filter, window)
            let total = s.reduce(Int64(0)) { $0 &+ $1.fineMicroWan }
            guard CMask.compare(total, op, threshold) else { return [] }
            let records = s.map(\.recordID)
            guard op == .ge || op == .gt else { return [Witness(start: Interval.negInf, end: Interval.posInf, records: records)] }
            var start = Interval.negInf
            var acc: Int64 = 0
            for p in s {
                acc &+= p.fineMicroWan
                if CMask.compare(acc, op, threshold) { start = p.decidedOn.ordinal; break }
            }
            var end = Interval.posInf
            var rest = total
            for p in s {
                rest &-= p.fineMicroWan
                if !CMask.compare(rest, op, threshold) { end = window.add(to: p.decidedOn.ordinal); break }
            }
            return [Witness(start: start, end: end, records: records)]
        case .verified(let fact):
            let known = facts.verifications.filter { $0.fact == fact }
            if known.isEmpty {
                var w = Witness(start: Interval.negInf, end: Interval.posInf, records: [])
                w.toVerify = [fact.rawValue]
                return [w]
            }
            return known.filter(\.holds).compactMap { v in
                let s = v.from?.ordinal ?? Interval.negInf, e = v.until?.ordinal ?? Interval.posInf
                return s < e ? Witness(start: s, end: e, records: v.recordID == 0 ? [] : [v.recordID]) : nil
            }
        case .keyPerson(let role, let inner):
            guard !related.isEmpty else { return [] }
            var out: [Witness] = []
            for r in facts.keyPersons where r.role == role {
                guard let other = related[r.to] else { continue }
                out.append(contentsOf: Evaluation.through(r, other, inner, program: program, asOf: asOf))
            }
            return out
        case .holds(let role, let inner):
            if related.isEmpty && !contributions.isEmpty {
                guard let slot = program.holdsSlots[inner] else { return [] }
                var out: [Witness] = []
                for r in facts.roles where r.role == role {
                    guard let c = contributions.first(where: { $0.code == r.from }), !c.holds.isEmpty, !c.holds[slot].isEmpty else { continue }
                    out.append(contentsOf: Evaluation.through(r, c.holds[slot]))
                }
                return out
            }
            guard !related.isEmpty else { return [] }
            var out: [Witness] = []
            for r in facts.roles where r.role == role {
                guard let other = related[r.from] else { continue }
                out.append(contentsOf: Evaluation.through(r, other, inner, program: program, asOf: asOf))
            }
            return out
        }
    }

    private static func through(_ r: RelationFact, _ other: SubjectFacts, _ inner: CCond, program: Program, asOf: Int) -> [Witness] {
        var sub = Evaluation(program: program, facts: other, asOf: asOf, related: .none)
        return through(r, sub.witnesses(inner))
    }

    /// The witnesses of a related subject's condition within the relation's validity.
    private static func through(_ r: RelationFact, _ witnesses: [Witness]) -> [Witness] {
        let span = Witness(start: r.validFrom.ordinal, end: r.validTo?.ordinal ?? Interval.posInf, records: [r.recordID])
        return witnesses.compactMap { $0.intersect(span) }
    }

    private mutating func sortedGrades() -> [TaxGradeFact] {
        if let g = gradesSorted { return g }
        let g = facts.taxGrades.sorted { ($0.publishedOn, $0.year, $0.recordID) < ($1.publishedOn, $1.year, $1.recordID) }
        gradesSorted = g
        return g
    }

    /// Penalties matching the filter decided in the window ending on the evaluation day, not revoked by then, oldest first.
    private func inWindow(_ filter: CPenaltyFilter, _ window: CPeriod) -> [PenaltyFact] {
        if facts.penalties.isEmpty { return [] }
        let low = window.subtract(from: asOf)
        return facts.penalties.filter { p in
            p.decidedOn.ordinal > low && p.decidedOn.ordinal <= asOf && (p.revokedOn.map { $0.ordinal > asOf } ?? true) && filter.matches(p)
        }.sorted { ($0.decidedOn, $0.recordID) < ($1.decidedOn, $1.recordID) }
    }

    // MARK: durations and causes

    /// The days a witness keeps a rule's measures in force, or nil when never.
    static func period(_ d: CDuration, _ w: Witness) -> (Int, Int)? {
        let s = w.start
        var e: Int
        switch d {
        case .whileHeld:
            e = w.end
        case .fixed(let p, let exit):
            guard s > Interval.negInf else { return nil }
            e = p.add(to: s)
            // The owner of an authoritative list may extend or end early: its exit governs, the period is only expected.
            if exit { e = w.authoritative ? w.end : min(e, w.end) }
        case .untilRepaired:
            e = min(w.end, w.repaired ?? Interval.posInf)
        case .publicity(let lo, let hi):
            guard let sev = w.severity, s > Interval.negInf else { return nil }
            let i = Int(CMask.severityIndex(sev))
            guard let maxP = hi[i] else { return nil }
            e = min(w.end, maxP.add(to: s))
            if let pe = w.publicityEnd { e = min(e, pe) }
            if let r = w.repaired {
                let minEnd = lo[i]?.add(to: s) ?? s
                e = min(e, max(r, minEnd))
            }
        }
        return s < e ? (s, e) : nil
    }

    /// Causes in force on the evaluation day for every rule, for the subject and the persons reached.
    /// With `extendingOnly`, only the rules that extend measures to persons.
    mutating func causes(extendingOnly: Bool = false) -> [RawCause] {
        var out: [RawCause] = []
        let rules = program.rules
        for ri in rules.indices {
            let rule = rules[ri]
            if extendingOnly && rule.roles.isEmpty && rule.named.isEmpty { continue }
            guard passes(rule.gate) else { continue }
            let ws = witnesses(rule.condition)
            if ws.isEmpty { continue }
            for w in ws where rule.appliesFrom <= w.start && w.start < rule.appliesBefore {
                guard let (from, until) = Evaluation.period(rule.duration, w), from <= asOf, asOf < until else { continue }
                emit(rule, ri, w, from, until, into: &out)
            }
        }
        return out
    }

    /// True when a rule extending measures to persons has a witness in force on the evaluation
    /// day (what it would extend to the subject's key persons, whoever they are).
    mutating func firesExtending() -> Bool {
        for rule in program.rules where !rule.roles.isEmpty || !rule.named.isEmpty {
            guard passes(rule.gate) else { continue }
            for w in witnesses(rule.condition) where rule.appliesFrom <= w.start && w.start < rule.appliesBefore {
                if let (from, until) = Evaluation.period(rule.duration, w), from <= asOf, asOf < until { return true }
            }
        }
        return false
    }

    func emit(_ rule: CRule, _ ri: Int, _ w: Witness, _ from: Int, _ until: Int, into out: inout [RawCause]) {
        if rule.toSubject {
            for m in rule.measures {
                out.append(RawCause(subject: facts.code, measure: m, rule: ri, from: from, until: until, records: w.records, via: nil,
                                    toVerify: w.toVerify))
            }
        }
        // Persons the case itself names: relations recorded by a record behind the witness, whatever their dates.
        for role in rule.named {
            for r in facts.keyPersons where r.role == role && w.records.contains(r.recordID) {
                let via = Via(organisation: facts.code, role: role)
                for m in rule.measures {
                    out.append(RawCause(subject: r.to, measure: m, rule: ri, from: from, until: until, records: w.records, via: via,
                                        toVerify: w.toVerify))
                }
            }
        }
        if !rule.roles.isEmpty {
            let caseDay = w.start > Interval.negInf ? w.start : asOf
            for role in rule.roles {
                for r in facts.keyPersons where r.role == role && r.validFrom.ordinal <= caseDay && (r.validTo.map { caseDay < $0.ordinal } ?? true) {
                    let via = Via(organisation: facts.code, role: role)
                    for m in rule.measures {
                        out.append(RawCause(subject: r.to, measure: m, rule: ri, from: from, until: until, records: w.records + [r.recordID],
                                            via: via, toVerify: w.toVerify))
                    }
                }
            }
        }
    }
}

extension CompiledRuleSet {
    /// Decisions in force on `asOf` from this subject's own facts: for the subject, and for the
    /// persons the measures extend to (their `via` names this organisation and the role held on
    /// the date of the case).
    ///
    /// The conflict policy is applied per subject: incentives are withheld from a subject for
    /// which any punishment is in force, unless the incentive rule says `despite punishment`.
    /// `related` supplies the facts of related subjects for `key_person`/`holds` conditions.
    ///
    /// ```swift
    /// let ds = rules.evaluate(facts, asOf: try Day("2020-06-01"))
    /// ```
    public func evaluate(_ facts: SubjectFacts, asOf: Day, related: [SubjectFacts] = []) -> [Decision] {
        var e = Evaluation(program: program, facts: facts, asOf: asOf.ordinal, related: RelatedFacts(lead: nil, others: related, excluding: nil))
        let raw = e.causes()
        if raw.isEmpty { return [] }
        return finalize(raw, asOf: asOf)
    }

    /// The final decisions in force on `asOf` for the subject `code`: from its own facts and
    /// from every related organisation whose measures extend to it, with the conflict policy
    /// applied and duplicates merged, in canonical order.
    ///
    /// - Parameters:
    ///   - own: the subject's facts (its `roles` name the organisations it serves).
    ///   - related: the facts of related subjects (organisations it serves, its key persons).
    public func decisions(for code: String, own: SubjectFacts, related: [SubjectFacts], asOf: Day) -> [Decision] {
        // Every subject involved, the own subject first; each evaluation skips its own subject in it.
        let lead: SubjectFacts? = related.isEmpty ? nil : own
        var raw: [RawCause] = []
        var ownEval = Evaluation(program: program, facts: own, asOf: asOf.ordinal,
                                 related: RelatedFacts(lead: lead, others: related, excluding: own.code))
        raw.append(contentsOf: ownEval.causes().filter { $0.subject == code })
        let extending = related.filter { $0.code != own.code && $0.keyPersons.contains(where: { $0.to == code }) }
        for r in extending.sorted(by: { $0.code < $1.code }) {
            var e = Evaluation(program: program, facts: r, asOf: asOf.ordinal, related: RelatedFacts(lead: lead, others: related, excluding: r.code))
            raw.append(contentsOf: e.causes().filter { $0.subject == code && $0.via != nil })
        }
        if raw.isEmpty { return [] }
        return finalize(raw, asOf: asOf)
    }

    /// Applies the conflict policy and merges causes into decisions, in canonical order.
    func finalize(_ raw: [RawCause], asOf: Day) -> [Decision] {
        let rules = program.rules
        // A subject's causes name one subject, or a few: plain arrays, not hashed sets.
        var punished: [String] = []
        for c in raw where rules[c.rule].isPunishment && !punished.contains(c.subject) { punished.append(c.subject) }
        // Causes grouped by subject and measure, in the order the groups first appear.
        var keys: [(subject: String, measure: Int)] = []
        var groups: [[RawCause]] = []
        for c in raw {
            let rule = rules[c.rule]
            if !rule.isPunishment && !rule.despitePunishment && punished.contains(c.subject) { continue }
            if let g = keys.firstIndex(where: { $0.measure == c.measure && $0.subject == c.subject }) {
                groups[g].append(c)
            } else {
                keys.append((c.subject, c.measure))
                groups.append([c])
            }
        }
        // Decision.canonicalOrder on the groups' keys, so that no decision is moved once built.
        let order = groups.indices.sorted { a, b in
            let ka = keys[a], kb = keys[b]
            if ka.subject != kb.subject { return ka.subject < kb.subject }
            let pa = rules[groups[a][0].rule].isPunishment, pb = rules[groups[b][0].rule].isPunishment
            if pa != pb { return pa }
            return program.measures[ka.measure].id < program.measures[kb.measure].id
        }
        var out: [Decision] = []
        out.reserveCapacity(groups.count)
        for g in order {
            let cs = groups[g]
            let m = program.measures[cs[0].measure]
            var causes = cs.map { c in
                Cause(ruleID: rules[c.rule].id, memorandum: rules[c.rule].memorandum, from: Day(ordinal: c.from),
                      until: c.until >= Interval.posInf ? nil : Day(ordinal: c.until), records: c.records.sorted(), via: c.via,
                      toVerify: c.toVerify)
            }
            if causes.count > 1 { causes.sort() }
            var unique: [Cause] = []
            unique.reserveCapacity(causes.count)
            for c in causes where unique.last != c { unique.append(c) }
            let first = unique[0]
            let from = unique.map(\.from).min()!
            let until: Day? = unique.contains { $0.until == nil } ? nil : unique.compactMap(\.until).max()
            let kind: DecisionKind = rules[cs[0].rule].isPunishment ? .punishment : .incentive
            out.append(Decision(subject: cs[0].subject, measureID: m.id, measureText: m.text, kind: kind, category: m.category,
                                department: m.department, legalBasis: m.legalBasis, memorandum: first.memorandum, ruleID: first.ruleID,
                                from: from, until: until, causedBy: Self.sortedUnion(unique.map(\.records)), via: first.via,
                                financial: m.financial, causes: unique, cooperating: m.cooperating,
                                toVerify: unique.contains { $0.toVerify.isEmpty } ? [] : Self.sortedUnion(unique.map(\.toVerify))))
        }
        return out
    }

    /// The distinct elements of `parts`, sorted.
    static func sortedUnion<T: Comparable>(_ parts: [[T]]) -> [T] {
        if parts.count == 1 && parts[0].count <= 1 { return parts[0] }
        var all = Array(parts.joined())
        all.sort()
        var out: [T] = []
        out.reserveCapacity(all.count)
        for x in all where out.last != x { out.append(x) }
        return out
    }
}
