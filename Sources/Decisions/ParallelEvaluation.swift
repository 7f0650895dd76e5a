import CreditRegistry
import Foundation
import GRDB
import RuleEngine

/// The read-and-evaluate half of a full materialisation spread over several read connections:
/// reader `i` takes the code ranges `i`, `i + readers`, … , streams each range's facts (and its
/// related subjects' facts when the rules read them) from its own snapshot and evaluates them;
/// the calling thread receives every subject's decisions in code order, range after range, and
/// writes them. The snapshots are those of the caller's write transaction's start (nothing is
/// committed while it is open), so every reader sees the same registry.
struct ParallelEvaluation {
    let rules: CompiledRuleSet
    let asOf: Day
    let related: Bool
    let presence: FactPresence?
    let readers: Int
    let ranges: [CodeRange]

    /// A slice of one range's results; `last` ends the range.
    private struct Part: Sendable {
        var results: [(code: String, decisions: [Decision])]
        var last: Bool
    }

    /// Calls `each` with every subject's code and decisions, in code order.
    func run(_ pool: DatabasePool, _ each: (String, [Decision]) throws -> Void) throws {
        let readers = max(1, min(self.readers, ranges.count))
        // Enough room for one whole range per reader, so that no reader waits on the order
        // in which the caller drains them.
        let queues = (0..<readers).map { _ in BoundedQueue<Part>(capacity: 64) }
        let failures = LockedBox<[any Error]>([])
        let threads = (0..<readers).map { reader in
            Thread { [rules, asOf, related, presence, ranges] in
                let queue = queues[reader]
                do {
                    try pool.read { db in
                        for r in stride(from: reader, to: ranges.count, by: readers) {
                            var part = Part(results: [], last: false)
                            part.results.reserveCapacity(256)
                            var open = true
                            try DecisionMaterialiser.stream(db, asOf: asOf, related: related, keyPersons: rules.readsKeyPersonsFacts,
                                                            range: ranges[r], presence: presence) { f, others in
                                let ds = related ? rules.decisions(for: f.code, own: f, related: others, asOf: asOf)
                                                 : rules.evaluate(f, asOf: asOf)
                                part.results.append((f.code, ds))
                                if part.results.count == 256 {
                                    open = queue.put(part)
                                    part.results.removeAll(keepingCapacity: true)
                                }
                                return open
                            }
                            part.last = true
                            guard open, queue.put(part) else { return }
                        }
                    }
                } catch { failures.withValue { $0.append(error) } }
                queue.close()
            }
        }
        threads.forEach { $0.start() }
        defer { queues.forEach { $0.close() } }
        for r in ranges.indices {
            let queue = queues[r % readers]
            while true {
                guard let part = queue.take() else {
                    if let e = failures.value.first { throw e }
                    throw DatabaseError(message: "a reader of the full evaluation stopped before the end of its code range")
                }
                for (code, ds) in part.results { try each(code, ds) }
                if part.last { break }
            }
        }
        if let e = failures.value.first { throw e }
    }
}
