import CreditRegistry
import RuleEngine
import Foundation
import GRDB

/// Which subjects would gain or lose which measures if a candidate rule set replaced the
/// active one, evaluated on the same facts of the live registry on the same day (so the diff
/// shows the effect of the rule change alone).
///
/// One accumulation (``Accumulator``) whatever store the facts come from: an
/// ``ImpactFactSource`` feeds it every subject's facts (SQLite streams them in one read,
/// PostgreSQL reads them batch by batch in one snapshot).
public struct ImpactDiff: Sendable, Codable {
    /// One subject's change.
    public struct Change: Sendable, Codable, Hashable {
        public var subject: String
        public var name: String
        public var gained: [String]
        public var lost: [String]
    }

    public var asOf: Day
    public var fromVersion: String?
    public var toVersion: String
    public var subjectsEvaluated: Int
    public var changes: [Change]
    /// Per measure: how many subjects gain it and how many lose it.
    public var gainedByMeasure: [String: Int]
    public var lostByMeasure: [String: Int]

    /// Evaluates `candidate` and `current` (nil: no active rule set) over the whole registry.
    public static func compute(candidate: CompiledRuleSet, current: CompiledRuleSet?, registry: Registry, asOf: Day) throws -> ImpactDiff {
        try registry.read { db in
            try compute(candidate: candidate, current: current, facts: RegistryImpactFacts(db: db), asOf: asOf)
        }
    }

    /// Evaluates `candidate` and `current` (nil: no active rule set) over every subject `facts` feeds.
    package static func compute(candidate: CompiledRuleSet, current: CompiledRuleSet?, facts: some ImpactFactSource, asOf: Day) throws -> ImpactDiff {
        var accumulator = Accumulator(candidate: candidate, current: current, asOf: asOf)
        try facts.forEachSubject(asOf: asOf) { accumulator.add($0) }
        return accumulator.diff(names: try facts.names(of: accumulator.changedSubjects))
    }

    /// The measures each rule set gives each subject, fed one subject's facts at a time. It
    /// keeps the measure sets of the subjects that have any (a measure may reach a subject
    /// through another one's facts: a person through its organisation), never the facts.
    package struct Accumulator {
        let candidate: CompiledRuleSet
        let current: CompiledRuleSet?
        let asOf: Day
        private var before: [String: Set<String>] = [:]
        private var after: [String: Set<String>] = [:]
        private(set) var subjectsEvaluated = 0

        package init(candidate: CompiledRuleSet, current: CompiledRuleSet?, asOf: Day) {
            self.candidate = candidate; self.current = current; self.asOf = asOf
        }

        /// Evaluates one subject's facts under both rule sets.
        package mutating func add(_ facts: SubjectFacts) {
            subjectsEvaluated += 1
            for d in candidate.evaluate(facts, asOf: asOf) { after[d.subject, default: []].insert(d.measureID) }
            if let current {
                for d in current.evaluate(facts, asOf: asOf) { before[d.subject, default: []].insert(d.measureID) }
            }
        }

        /// The subjects whose measures differ between the two rule sets, in code order.
        package var changedSubjects: [String] {
            Set(before.keys).union(after.keys).filter { before[$0] ?? [] != after[$0] ?? [] }.sorted()
        }

        /// The diff, with the subjects' names as `names` gives them ("" for a code it lacks).
        package func diff(names: [String: String]) -> ImpactDiff {
            var changes: [Change] = []
            var gainedBy: [String: Int] = [:], lostBy: [String: Int] = [:]
            for subject in changedSubjects {
                let b = before[subject] ?? [], a = after[subject] ?? []
                let gained = a.subtracting(b).sorted(), lost = b.subtracting(a).sorted()
                gained.forEach { gainedBy[$0, default: 0] += 1 }
                lost.forEach { lostBy[$0, default: 0] += 1 }
                changes.append(Change(subject: subject, name: names[subject] ?? "", gained: gained, lost: lost))
            }
            return ImpactDiff(asOf: asOf, fromVersion: current?.version, toVersion: candidate.version, subjectsEvaluated: subjectsEvaluated,
                              changes: changes, gainedByMeasure: gainedBy, lostByMeasure: lostBy)
        }
    }
}
