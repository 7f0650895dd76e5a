import CreditRegistry

/// A kind of row at least one of which a subject must have to bring anything to the subjects
/// serving it (``CompiledRuleSet/contributionSources``): a row in a fact table, an entry on a
/// list, or a status (in the subject row or its status history).
public enum ContributionSource: Hashable, Sendable {
    /// A row of this fact kind.
    case facts(FactPresence.Kind)
    /// An entry on the list with this id.
    case list(String)
    /// One of these statuses (none of them `active`), current or in the status history.
    case status([SubjectStatus])
}

extension CompiledRuleSet {
    /// Sources such that a subject with no row of any of them has no contribution
    /// (``mayContribute(_:asOf:)`` false), worked out from the gates of the conditions a
    /// contribution is computed from: every `holds` condition's inner condition, the rules
    /// extending measures to persons, and the derivations putting subjects on the lists those
    /// need. Nil when some of them may hold for a subject without any such row: then every
    /// subject is a candidate.
    ///
    /// A full materialisation reads only the subjects having such rows before it evaluates
    /// (a few percent of the registry) instead of streaming all of them.
    public var contributionSources: Set<ContributionSource>? {
        let p = program
        var out = Set<ContributionSource>()
        var visitingLists = Set<Int>()
        // One source standing for `g`, or false when the gate requires no sparse row.
        func add(_ g: Gate) -> Bool {
            let kinds: [(UInt8, FactPresence.Kind)] = [(Gate.penalties, .penalties), (Gate.licences, .licences),
                                                       (Gate.grades, .taxGrades), (Gate.keyPersons, .keyPersons),
                                                       (Gate.roles, .roles)]
            if let l = g.lists.first(where: { $0 >= 0 && $0 < p.listIDs.count }) { return addList(l) }
            let statuses = SubjectStatus.allCases.filter { g.statuses & (1 << CMask.statusIndex($0)) != 0 }
            if !statuses.contains(.active) {
                out.insert(.status(statuses))
                return true
            }
            // The sparsest tables first.
            for (bit, kind) in kinds.sorted(by: { sparseness($0.1) < sparseness($1.1) }) where g.needs & bit != 0 {
                out.insert(.facts(kind))
                return true
            }
            return false
        }
        // A subject is on list `l` through an entry of its own or a derivation putting it there.
        func addList(_ l: Int) -> Bool {
            out.insert(.list(p.listIDs[l]))
            guard visitingLists.insert(l).inserted else { return true }
            for d in p.derives where d.list == l {
                guard add(d.gate) else { return false }
            }
            return true
        }
        for c in p.holdsInners { guard add(Gate(c)) else { return nil } }
        for r in p.rules where !r.roles.isEmpty || !r.named.isEmpty { guard add(r.gate) else { return nil } }
        return out
    }
}

/// Which fact tables to prefer as a gate's source (lower: fewer subjects have rows).
private func sparseness(_ k: FactPresence.Kind) -> Int {
    switch k {
    case .penalties: 0
    case .licences: 1
    case .taxGrades: 2
    case .roles: 3
    case .keyPersons: 4
    case .listEntries, .statuses: 5
    }
}
