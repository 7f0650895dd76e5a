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
///
/// When the rules evaluate related subjects through their contributions
/// (``CompiledRuleSet/evaluatesThroughContributions``), the readers first read the
/// contributions of their ranges' organisations, and every reader evaluates with all of them.
struct ParallelEvaluation {
    let rules: CompiledRuleSet
    let asOf: Day
    let related: Bool
    let presence: FactPresence?
    let readers: Int
    let ranges: [CodeRange]
    /// The subjects that may contribute, when the rules name their sources (else every subject is streamed).
    var candidates: ContributionCandidates? = nil

    /// A slice of one range's results; `last` ends the range.
    private struct Part: Sendable {
        var results: [(code: String, decisions: [Decision])]
        var last: Bool
    }

    /// Runs `body(reader)` on `readers` threads, each in a read transaction of its own, and waits for them.
    private static func onReaders(_ pool: DatabasePool, _ readers: Int, _ body: @escaping @Sendable (Int, Database) throws -> Void) throws {
        let failures = LockedBox<[any Error]>([])
        let done = DispatchGroup()
        for reader in 0..<readers {
            done.enter()
            Thread {
                do { try pool.read { db in try body(reader, db) } } catch { failures.withValue { $0.append(error) } }
                done.leave()
            }.start()
        }
        done.wait()
        if let e = failures.value.first { throw e }
    }

    /// The reading of related subjects every reader evaluates with.
    private func reading(_ pool: DatabasePool, readers: Int) throws -> RelatedReading {
        guard related else { return .none }
        guard rules.evaluatesThroughContributions else { return .facts(keyPersons: rules.readsKeyPersonsFacts, presence: presence) }
        let tables = LockedBox<[ContributionTable]>([])
        if let candidates {
            // Only the subjects with a row of the sources may contribute (a few percent): they
            // are read by code, in chunks the readers take in turn.
            let codes = try candidates.codes()
            let chunk = 1024
            try Self.onReaders(pool, readers) { [rules, asOf] reader, db in
                var table = ContributionTable()
                for start in stride(from: reader * chunk, to: codes.count, by: readers * chunk) {
                    table.merge(try ContributionTable.read(db, rules: rules, asOf: asOf, codes: codes[start..<min(start + chunk, codes.count)]))
                }
                tables.withValue { $0.append(table) }
            }
        } else {
            try Self.onReaders(pool, readers) { [rules, asOf, ranges] reader, db in
                var table = ContributionTable()
                for r in stride(from: reader, to: ranges.count, by: readers) {
                    table.merge(try ContributionTable.read(db, rules: rules, asOf: asOf, range: ranges[r]))
                }
                tables.withValue { $0.append(table) }
            }
        }
        var all = ContributionTable()
        for t in tables.value { all.merge(t) }
        return .contributions(all)
    }

    /// Calls `each` with every subject's code and decisions, in code order.
    func run(_ pool: DatabasePool, _ each: (String, [Decision]) throws -> Void) throws {
        let readers = max(1, min(self.readers, ranges.count))
        let reading = try reading(pool, readers: readers)
        // Enough room for one whole range per reader, so that no reader waits on the order
        // in which the caller drains them.
        let queues = (0..<readers).map { _ in BoundedQueue<Part>(capacity: 64) }
        let failures = LockedBox<[any Error]>([])
        let threads = (0..<readers).map { reader in
            Thread { [rules, asOf, ranges] in
                let queue = queues[reader]
                do {
                    try pool.read { db in
                        for r in stride(from: reader, to: ranges.count, by: readers) {
                            var part = Part(results: [], last: false)
                            part.results.reserveCapacity(256)
                            var open = true
                            try DecisionMaterialiser.stream(db, asOf: asOf, related: reading, range: ranges[r]) { f, others in
                                part.results.append((f.code, reading.decisions(rules, f, related: others, asOf: asOf)))
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
