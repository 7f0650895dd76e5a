import CreditRegistry
import RuleEngine
import Foundation
import GRDB

extension DecisionMaterialiser {
    /// What evaluating the registry in memory cost: the baseline a full materialisation is
    /// measured against (same subjects, same facts, no reading or writing while timed).
    public struct InMemoryEvaluation: Sendable {
        public var subjects = 0
        public var decisions = 0
        public var seconds = 0.0
        /// CPU seconds of the evaluating thread (what others' load on the machine does not inflate).
        public var cpuSeconds = 0.0
    }

    /// Reads every subject's facts (and its related subjects' when the rules read them) into
    /// memory, then times evaluating them all on one core as ``materialiseAll(asOf:in:progress:)``
    /// evaluates them. Memory grows with the registry: a benchmark for registries of about a
    /// million subjects, not an operation.
    public func evaluateInMemory(asOf: Day) throws -> InMemoryEvaluation {
        // Related subjects' facts are read only when the rules need more than what each
        // organisation brings to the persons serving it (computed while timed, as evaluation).
        let throughContributions = rules.evaluatesThroughContributions
        let withRelated = rules.readsRelatedFacts && !throughContributions
        let loaded = try registry.read { db -> [(SubjectFacts, [SubjectFacts])] in
            var out: [(SubjectFacts, [SubjectFacts])] = []
            var own = try FactsStream(db: db, asOf: asOf)
            var related = withRelated ? try RelatedFactsStream(db: db, asOf: asOf, keyPersons: rules.readsKeyPersonsFacts) : nil
            while let f = try own.next() { out.append((f, try related?.related(of: f.code) ?? [])) }
            return out
        }
        var result = InMemoryEvaluation(subjects: loaded.count)
        let started = Date()
        let cpuStarted = Self.threadCPUSeconds()
        var reading = RelatedReading.none
        if throughContributions {
            var table = ContributionTable()
            for (own, _) in loaded { table.add(rules.contribution(of: own, asOf: asOf), keyPersons: own.keyPersons) }
            reading = .contributions(table)
        } else if withRelated {
            reading = .facts(keyPersons: rules.readsKeyPersonsFacts, presence: nil)
        }
        for (own, related) in loaded {
            result.decisions += reading.decisions(rules, own, related: related, asOf: asOf).count
        }
        result.seconds = Date().timeIntervalSince(started)
        result.cpuSeconds = Self.threadCPUSeconds() - cpuStarted
        return result
    }

    /// CPU time the calling thread has used.
    static func threadCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}
