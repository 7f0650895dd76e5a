import CreditRegistry
import RuleEngine
import Foundation
import GRDB

/// Which subjects would gain or lose which measures if a candidate rule set replaced the
/// active one, evaluated on the same facts of the live registry on the same day (so the diff
/// shows the effect of the rule change alone).
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
            var stream = try FactsStream(db: db, asOf: asOf)
            var before: [String: Set<String>] = [:]
            var after: [String: Set<String>] = [:]
            var names: [String: String] = [:]
            var n = 0
            while let facts = try stream.next() {
                n += 1
                names[facts.code] = facts.name
                for d in candidate.evaluate(facts, asOf: asOf) { after[d.subject, default: []].insert(d.measureID) }
                if let current {
                    for d in current.evaluate(facts, asOf: asOf) { before[d.subject, default: []].insert(d.measureID) }
                }
            }
            var changes: [Change] = []
            var gainedBy: [String: Int] = [:], lostBy: [String: Int] = [:]
            for subject in Set(before.keys).union(after.keys).sorted() {
                let b = before[subject] ?? [], a = after[subject] ?? []
                let gained = a.subtracting(b).sorted(), lost = b.subtracting(a).sorted()
                if gained.isEmpty && lost.isEmpty { continue }
                gained.forEach { gainedBy[$0, default: 0] += 1 }
                lost.forEach { lostBy[$0, default: 0] += 1 }
                changes.append(Change(subject: subject, name: names[subject] ?? "", gained: gained, lost: lost))
            }
            return ImpactDiff(asOf: asOf, fromVersion: current?.version, toVersion: candidate.version, subjectsEvaluated: n,
                              changes: changes, gainedByMeasure: gainedBy, lostByMeasure: lostBy)
        }
    }
}
