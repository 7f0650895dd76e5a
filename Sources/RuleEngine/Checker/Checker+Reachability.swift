// Reachability: rules that can never fire, flags that change nothing, measures no rule
// applies, and lists derived from themselves.

extension Checker {
    mutating func checkReachability() {
        for c in conditions {
            for node in c.condition.allNodes {
                if case .and(let xs) = node { checkContradiction(xs, range: node.range) }
            }
            checkNeverFires(c.condition, roles: c.roles, ruleID: c.ruleID)
        }
        var applied: Set<String> = []
        for r in symbols.rules {
            applied.formUnion((r.apply ?? []).map(\.name))
            // Without 'punish when'/'reward when' the rule counts as a punishment (reported as missing).
            if let flag = r.despite, r.effect.map(\.isPunishment) != false {
                warning("check.despiteOnPunishment", flag.range, "'despite punishment' only matters for 'reward' rules")
            }
        }
        for (id, range) in symbols.measureIDs.sorted(by: { $0.key < $1.key }) where !applied.contains(id) {
            warning("check.unusedMeasure", range, "measure '\(id)' is not applied by any rule")
        }
        checkDerivationCycles()
    }

    /// The values an enumeration comparison allows (nil when it says nothing about the field).
    private static func allowedSet(_ c: Condition, field: String, all: [String]) -> Set<String>? {
        guard case .compare(.field(let f), let op, _, let v, _) = c, f.name == field else { return nil }
        var names: [String] = []
        switch v {
        case .ident(let i): names = [i.name]
        case .list(let xs, _): names = xs.compactMap { if case .ident(let i) = $0 { i.name } else { nil } }
        default: return nil
        }
        switch op {
        case .eq, .in: return Set(names)
        case .ne: return Set(all).subtracting(names)
        default: return nil
        }
    }

    private mutating func checkContradiction(_ xs: [Condition], range: SourceRange) {
        for (field, all) in [("kind", Vocabulary.subjectKinds), ("status", Vocabulary.statuses), ("latest_grade", Vocabulary.grades)] {
            let sets = xs.compactMap { Checker.allowedSet($0, field: field, all: all) }
            guard sets.count > 1 else { continue }
            let both = sets.dropFirst().reduce(sets[0]) { $0.intersection($1) }
            if both.isEmpty {
                error("check.neverFires", range, "contradictory conditions: \(field) cannot satisfy all of them at once",
                      hint: "this rule can never fire")
                return
            }
        }
        let texts = xs.map { RuleFormatter.text(of: $0) }
        for x in xs {
            if case .not(let inner, let r) = x, texts.contains(RuleFormatter.text(of: inner)) {
                error("check.neverFires", r, "contradictory conditions: '\(RuleFormatter.text(of: inner))' and its negation",
                      hint: "this rule can never fire")
                return
            }
        }
    }

    /// The subject kinds a condition allows (nil = any).
    static func kinds(_ c: Condition) -> Set<String>? {
        switch c {
        case .and(let xs):
            let sets = xs.compactMap(kinds)
            return sets.isEmpty ? nil : sets.dropFirst().reduce(sets[0]) { $0.intersection($1) }
        case .or(let xs):
            var u: Set<String> = []
            for x in xs { guard let s = kinds(x) else { return nil }; u.formUnion(s) }
            return u
        case .keyPerson:
            return Set(Vocabulary.subjectKinds).subtracting(["natural_person"])
        default:
            return allowedSet(c, field: "kind", all: Vocabulary.subjectKinds)
        }
    }

    /// True when every way the condition can hold gives a date it started (a triggering fact).
    static func dates(_ c: Condition) -> Bool {
        switch c {
        case .and(let xs): return xs.contains(where: dates)
        case .or(let xs): return xs.allSatisfy(dates)
        case .not, .verified: return false
        case .listed, .penalty, .revokedLicence: return true
        case .keyPerson(_, let inner, _), .holds(_, let inner, _): return dates(inner)
        case .compare(let lhs, let op, _, _, _):
            switch lhs {
            case .field(let f): return f.name != "kind"
            case .gradeOf: return true
            case .aggregate: return op == .ge || op == .gt
            }
        }
    }

    private mutating func checkNeverFires(_ c: Condition, roles: [Ident], ruleID: String) {
        if !Checker.dates(c) {
            error("check.noTrigger", c.range, "nothing in this condition dates the case (a listing, penalty, grade, revoked licence or status)",
                  hint: "measures are counted from a triggering fact; add one, e.g. 'listed <list>'")
        }
        // An empty set is reported as a contradiction already when it comes from one conjunction.
        if Checker.kinds(c) == ["natural_person"] {
            for r in roles {
                error("check.neverFires", r.range, "a natural person has no \(r.name): rule '\(ruleID)' can never reach it",
                      hint: "remove '\(r.name)' from 'to', or target organisations")
            }
            if case .keyPerson(let role, _, _)? = Checker.firstKeyPerson(c) {
                error("check.neverFires", role.range, "a natural person has no \(role.name): this condition can never hold")
            }
        }
        for l in c.listsRead {
            if let list = symbols.lists[l.name], !list.fed, symbols.derivedBy[l.name] == nil {
                error("check.unreachableList", l.range, "nobody can be on list '\(l.name)': no feed fills it and no 'derive' adds to it",
                      hint: "mark the list 'fed' in its declaration if a feed fills it")
            }
        }
    }

    static func firstKeyPerson(_ c: Condition) -> Condition? {
        switch c {
        case .keyPerson: c
        case .and(let xs): xs.lazy.compactMap(firstKeyPerson).first
        default: nil
        }
    }

    private mutating func checkDerivationCycles() {
        // Edges: derived list → lists its derive rules read.
        var edges: [String: Set<String>] = [:]
        var ruleOf: [String: Ident] = [:]
        for d in symbols.derives {
            guard let target = d.addTo, let c = d.when else { continue }
            edges[target.name, default: []].formUnion(c.listsRead.map(\.name))
            ruleOf[target.name] = ruleOf[target.name] ?? d.id
        }
        var state: [String: Int] = [:]
        var reported = false
        func visit(_ n: String) -> Bool {
            if state[n] == 1 { return true }
            if state[n] == 2 { return false }
            state[n] = 1
            for m in (edges[n] ?? []).sorted() where visit(m) { return true }
            state[n] = 2
            return false
        }
        for n in edges.keys.sorted() where !reported && visit(n) {
            if let id = ruleOf[n] {
                error("check.derivationCycle", id.range, "list '\(n)' is derived, directly or not, from itself",
                      hint: "a derive rule may not read the list it adds to")
            }
            reported = true
        }
    }
}
