import CreditRegistry

/// Turns resolved ``Declarations`` into a ``CompiledRuleSet``. Runs only when the checker found
/// no error; every name it reads was resolved, so it needs no fallback.
struct Compiler {
    let declarations: Declarations
    let version: String

    private let listIndex: [String: Int]

    init(declarations: Declarations, version: String) {
        self.declarations = declarations
        self.version = version
        var index: [String: Int] = [:]
        for (i, l) in declarations.lists.enumerated() { index[l.id] = i }
        listIndex = index
    }

    func compile() throws(Diagnostic) -> CompiledRuleSet {
        let d = declarations
        let memoranda = d.memoranda.map { m in
            MemorandumInfo(number: m.number.name, title: m.title, date: m.date, signatories: m.signatories, signedBy: m.signedBy,
                           targets: m.targets, revises: m.revises, unconfirmed: m.unconfirmed, notes: m.notes,
                           location: m.number.range.description)
        }
        let departments = d.departments.map {
            DepartmentInfo(id: $0.id.name, name: $0.name, until: $0.until, successor: $0.successor?.name, current: current($0.ref))
        }
        let lists = d.lists.map {
            ListInfo(id: $0.id, name: $0.name, owner: $0.owner.map(current), fed: $0.fed, derivedBy: $0.derivedBy, authoritative: $0.authoritative)
        }
        let measures = d.measures.map { m in
            MeasureInfo(id: m.id.name, text: m.text, department: current(m.department), namedDepartment: m.department,
                        cooperating: m.cooperating.map(current), item: m.item, basic: m.basic, legalBasis: m.basis, category: m.category,
                        financial: m.financial, memorandum: m.memorandum, unconfirmed: m.unconfirmed, location: m.id.range.description)
        }
        // A memorandum that revises another takes over the cases from its date; the revised one keeps the earlier cases.
        var revisedOn: [String: Day] = [:]
        var revisesOn: [String: Day] = [:]
        for m in d.memoranda where !m.revises.isEmpty {
            for n in m.revises where d.memoranda.contains(where: { $0.number.name == n }) {
                revisedOn[n] = min(revisedOn[n] ?? m.date, m.date)
                revisesOn[m.number.name] = m.date
            }
        }
        func window(_ memo: String, _ from: Day?, _ before: Day?) -> (Day?, Day?) {
            let f = [from, revisesOn[memo]].compactMap { $0 }.max()
            let b = [before, revisedOn[memo]].compactMap { $0 }.min()
            return (f, b)
        }

        var ruleInfos: [RuleInfo] = []
        var rules: [CRule] = []
        var needsRelated = false
        for r in d.rules {
            if Compiler.readsRelated(r.condition) { needsRelated = true }
            let (from, before) = window(r.memorandum, r.appliesFrom, r.appliesBefore)
            rules.append(CRule(id: r.id.name, memorandum: r.memorandum, isPunishment: r.isPunishment, despitePunishment: r.despitePunishment,
                               measures: r.measures, toSubject: r.targets.contains(.subject),
                               roles: r.targets.compactMap { if case .role(let role) = $0 { role } else { nil } },
                               named: r.targets.compactMap { if case .named(let role) = $0 { role } else { nil } },
                               appliesFrom: from?.ordinal ?? Interval.negInf, appliesBefore: before?.ordinal ?? Interval.posInf,
                               condition: try compileCondition(r.condition), duration: Compiler.duration(r.duration),
                               conjuncts: try conjuncts(r.condition)))
            ruleInfos.append(RuleInfo(id: r.id.name, kind: r.isPunishment ? .punishment : .incentive, title: r.title,
                                      memorandum: r.memorandum, condition: RuleFormatter.text(of: r.condition),
                                      measures: r.measures.map { measures[$0].id }, targets: r.targets.map(\.name), addsToList: nil,
                                      duration: r.duration.text, appliesFrom: from, appliesBefore: before,
                                      despitePunishment: r.despitePunishment, unconfirmed: r.unconfirmed,
                                      location: r.id.range.description))
        }

        var derives: [CDerive] = []
        for r in orderedDerives() {
            if Compiler.readsRelated(r.condition) { needsRelated = true }
            let (from, before) = window(r.memorandum, r.appliesFrom, r.appliesBefore)
            derives.append(CDerive(id: r.id.name, memorandum: r.memorandum, list: r.list, condition: try compileCondition(r.condition),
                                   duration: Compiler.duration(r.duration), appliesFrom: from?.ordinal ?? Interval.negInf,
                                   appliesBefore: before?.ordinal ?? Interval.posInf, conjuncts: try conjuncts(r.condition)))
            ruleInfos.append(RuleInfo(id: r.id.name, kind: .derivation, title: r.title, memorandum: r.memorandum,
                                      condition: RuleFormatter.text(of: r.condition), measures: [], targets: ["subject"],
                                      addsToList: lists[r.list].id, duration: r.duration.text, appliesFrom: from, appliesBefore: before,
                                      despitePunishment: false,
                                      unconfirmed: r.unconfirmed, location: r.id.range.description))
        }
        ruleInfos.sort { $0.id < $1.id }

        let program = Program(listIDs: lists.map(\.id), authoritative: lists.map(\.authoritative), measures: measures, derives: derives, rules: rules, needsRelated: needsRelated)
        let tests = d.tests.map { CompiledTest(name: $0.name.name, range: $0.name.range, subjects: $0.subjects, expectations: $0.expectations) }
        return CompiledRuleSet(version: version, memoranda: memoranda, departments: departments, lists: lists, measures: measures,
                               rules: ruleInfos, program: program, tests: tests)
    }

    /// The department that holds `ref`'s duties today: the end of its chain of successors.
    private func current(_ ref: DepartmentRef) -> DepartmentRef {
        var d = declarations.departments.first { $0.id.name == ref.id }
        var seen: Set<String> = []
        while let dep = d, let s = dep.successor, seen.insert(dep.id.name).inserted,
              let next = declarations.departments.first(where: { $0.id.name == s.name }) {
            d = next
        }
        return d?.ref ?? ref
    }

    /// Derive rules in an order where a rule comes after every rule adding to a list it reads.
    private func orderedDerives() -> [ResolvedDerive] {
        var remaining = declarations.derives
        var out: [ResolvedDerive] = []
        while !remaining.isEmpty {
            let pendingTargets = Set(remaining.map { declarations.lists[$0.list].id })
            // The checker rejects derivation cycles, so one rule is always ready; the first keeps the order total regardless.
            let readyIndex = remaining.firstIndex { d in
                let own = declarations.lists[d.list].id
                return d.condition.listsRead.allSatisfy { !pendingTargets.contains($0.name) || $0.name == own }
            } ?? remaining.startIndex
            out.append(remaining.remove(at: readyIndex))
        }
        return out
    }

    private static func duration(_ d: ResolvedDuration) -> CDuration {
        switch d.kind {
        case .whileHeld: return .whileHeld
        case .untilRepaired: return .untilRepaired
        case .fixed(let p, let exit): return .fixed(CPeriod(p), orUntilExit: exit)
        case .publicity(let bands):
            var lo = [CPeriod?](repeating: nil, count: 3), hi = [CPeriod?](repeating: nil, count: 3)
            for band in bands {
                let i = Int(CMask.severityIndex(band.severity))
                lo[i] = CPeriod(band.minimum); hi[i] = CPeriod(band.maximum)
            }
            return .publicity(lo, hi)
        }
    }

    private func conjuncts(_ c: Condition) throws(Diagnostic) -> [(CCond, String)] {
        if case .and(let xs) = c {
            var out: [(CCond, String)] = []
            for x in xs { out.append((try compileCondition(x), RuleFormatter.text(of: x))) }
            return out
        }
        return [(try compileCondition(c), RuleFormatter.text(of: c))]
    }

    static func readsRelated(_ c: Condition) -> Bool {
        switch c {
        case .and(let xs), .or(let xs): xs.contains(where: readsRelated)
        case .not(let x, _): readsRelated(x)
        case .keyPerson, .holds: true
        default: false
        }
    }

    private static func names(_ v: Value) -> [String] {
        switch v {
        case .ident(let i): [i.name]
        case .string(let s): [s.value]
        case .number(let n): [n.text]
        case .date(let d): [d.text]
        case .list(let xs, _): xs.flatMap(names)
        }
    }

    private static func mask(_ op: CompareOp, _ v: Value, all: [String]) -> UInt16 {
        var m: UInt16 = 0
        for n in names(v) { if let i = all.firstIndex(of: n) { m |= 1 << UInt16(i) } }
        if op == .ne { m = ~m & ((1 << UInt16(all.count)) - 1) }
        return m
    }

    private func filter(_ terms: [FilterTerm]) -> CPenaltyFilter {
        CPenaltyFilter(terms: terms.compactMap { t -> CPenaltyTerm? in
            switch t.field.name {
            case "type": .type(CTextTest(values: Compiler.names(t.value), negate: t.op == .ne))
            case "authority": .authority(CTextTest(values: Compiler.names(t.value), negate: t.op == .ne))
            case "severity": .severity(UInt8(truncatingIfNeeded: Compiler.mask(t.op, t.value, all: Vocabulary.severities)))
            case "fine":
                if case .number(let n) = t.value, let m = n.micro { .fine(t.op, m) } else { nil }
            default: nil
            }
        })
    }

    /// Compiles a checked condition. A name or number the checker would have refused cannot
    /// reach here; if one does, compilation is refused with `check.unresolved` rather than
    /// given a default.
    func compileCondition(_ c: Condition) throws(Diagnostic) -> CCond {
        switch c {
        case .and(let xs):
            var compiled: [CCond] = []
            for x in xs { compiled.append(try compileCondition(x)) }
            let parts = compiled.enumerated().sorted { ($0.element.cost, $0.offset) < ($1.element.cost, $1.offset) }.map(\.element)
            return .and(parts)
        case .or(let xs):
            var compiled: [CCond] = []
            for x in xs { compiled.append(try compileCondition(x)) }
            return .or(compiled)
        case .not(let x, _): return .not(try compileCondition(x))
        case .listed(let l, let g, let atLeast, _):
            guard let list = listIndex[l.name] else { throw Self.unresolved(l.range, "list \(l.name)") }
            return .listed(list: list, grounds: g.map(Compiler.names), atLeast: atLeast.map(CPeriod.init))
        case .penalty(_, let f, _): return .penalty(filter(f))
        case .revokedLicence(_, let f, _):
            let t = f.first { $0.field.name == "type" }
            return .revokedLicence(t.map { CTextTest(values: Compiler.names($0.value), negate: $0.op == .ne) })
        case .keyPerson(let role, let inner, _):
            return .keyPerson(try Self.role(role), try compileCondition(inner))
        case .holds(let role, let inner, _):
            return .holds(try Self.role(role), try compileCondition(inner))
        case .verified(_, let fact, _):
            guard let f = VerifiableFact(rawValue: fact.name) else { throw Self.unresolved(fact.range, "fact \(fact.name)") }
            return .verified(f)
        case .compare(let lhs, let op, _, let v, _):
            switch lhs {
            case .field(let f):
                switch f.name {
                case "kind": return .kind(Compiler.mask(op, v, all: Vocabulary.subjectKinds))
                case "status": return .status(UInt8(truncatingIfNeeded: Compiler.mask(op, v, all: Vocabulary.statuses)))
                default: return .latestGrade(UInt8(truncatingIfNeeded: Compiler.mask(op, v, all: Vocabulary.grades)))
                }
            case .gradeOf(_, let y):
                guard let year = y.intValue else { throw Self.unresolved(y.range, "year \(y.text)") }
                return .gradeOf(year: year, mask: UInt8(truncatingIfNeeded: Compiler.mask(op, v, all: Vocabulary.grades)))
            case .aggregate(let fn, let f, let within):
                guard case .number(let n) = v else { throw Self.unresolved(v.range, "a number to compare \(fn.name) with") }
                if fn.name == "count" {
                    guard let count = n.intValue else { throw Self.unresolved(n.range, "count \(n.text)") }
                    return .count(filter(f), window: CPeriod(within), op: op, n: Int64(count))
                }
                guard let micro = n.micro else { throw Self.unresolved(n.range, "amount \(n.text)") }
                return .totalFine(filter(f), window: CPeriod(within), op: op, micro: micro)
            }
        }
    }

    private static func role(_ name: Ident) throws(Diagnostic) -> RelationRole {
        guard let role = RelationRole(rawValue: name.name) else { throw unresolved(name.range, "role \(name.name)") }
        return role
    }

    private static func unresolved(_ range: SourceRange, _ what: String) -> Diagnostic {
        Diagnostic("check.unresolved", at: range, "cannot compile \(what): the checker should have refused it",
                   hint: "report this rule file: the checker and the compiler disagree")
    }
}
