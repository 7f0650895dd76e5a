import CreditRegistry
import RuleEngine
import Foundation
import GRDB

/// Keeps the `decision` table (the measures in force, as officers and banks read them) in
/// step with the registry and the active rule set: a full recompute after a rule change, and
/// an incremental one after a feed (only the subjects it touched and those related to them).
public struct DecisionMaterialiser: Sendable {
    public let rules: CompiledRuleSet
    public let registry: Registry

    public init(rules: CompiledRuleSet, registry: Registry) {
        self.rules = rules
        self.registry = registry
    }

    /// What a materialisation did.
    public struct Summary: Sendable, Codable, Hashable {
        public var subjectsEvaluated = 0
        public var subjectsWithMeasures = 0
        public var decisions = 0
        public var seconds = 0.0
        public var subjectsPerSecond: Double { seconds > 0 ? Double(subjectsEvaluated) / seconds : 0 }
        public init() {}
    }

    /// Recomputes every subject's decisions as of `asOf` in the caller's transaction.
    ///
    /// On a database pool the facts are read on a second thread from a snapshot of the
    /// committed registry while this thread evaluates and writes; the caller must not have
    /// changed facts in its own transaction (activation and refresh do not).
    public func materialiseAll(asOf: Day, in db: Database, progress: ((Int) -> Void)? = nil) throws -> Summary {
        let started = Date()
        var summary = Summary()
        try db.execute(sql: "DELETE FROM decision")
        var extendedTo = Set<String>()
        let evaluator = RegistryEvaluator(rules: rules, registry: registry)
        let rows = try DecisionRows(rules: rules, asOf: asOf, in: db)
        // Streamed facts get the verification facts the per-subject loader attaches, so both
        // paths evaluate the same facts (one query a subject only when any were recorded).
        let verifications = try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM verification_fact)") ?? false

        func handle(_ streamed: SubjectFacts) throws {
            summary.subjectsEvaluated += 1
            var facts = streamed
            if verifications && !rules.readsRelatedFacts { try VerificationStore.attach(to: &facts, asOf: asOf, in: db) }
            let ds = rules.readsRelatedFacts ? try evaluator.decisions(for: facts.code, asOf: asOf, in: db) : rules.evaluate(facts, asOf: asOf)
            var own = 0
            for d in ds {
                if d.subject == facts.code { try rows.insert(d); own += 1 } else { extendedTo.insert(d.subject) }
            }
            if own > 0 { summary.subjectsWithMeasures += 1 }
            summary.decisions += own
            if summary.subjectsEvaluated % 10_000 == 0 { progress?(summary.subjectsEvaluated) }
        }

        if let pool = registry.writer as? DatabasePool {
            let queue = BoundedQueue<[SubjectFacts]>(capacity: 16)
            let failure = LockedBox<(any Error)?>(nil)
            let thread = Thread {
                do {
                    try pool.read { rdb in
                        var stream = try FactsStream(db: rdb, asOf: asOf)
                        var batch: [SubjectFacts] = []
                        batch.reserveCapacity(512)
                        while let f = try stream.next() {
                            batch.append(f)
                            if batch.count == 512 { guard queue.put(batch) else { return }; batch.removeAll(keepingCapacity: true) }
                        }
                        if !batch.isEmpty { _ = queue.put(batch) }
                    }
                } catch { failure.value = error }
                queue.close()
            }
            thread.start()
            do {
                while let batch = queue.take() { for f in batch { try handle(f) } }
            } catch {
                queue.close()
                throw error
            }
            if let e = failure.value { throw e }
        } else {
            var stream = try FactsStream(db: db, asOf: asOf)
            while let facts = try stream.next() { try handle(facts) }
        }

        // Persons reached through organisations: their final set merges every route and applies
        // the conflict policy across them.
        for code in extendedTo.sorted() {
            let before = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM decision WHERE subject_code = ?", arguments: [code]) ?? 0
            try db.execute(sql: "DELETE FROM decision WHERE subject_code = ?", arguments: [code])
            let ds = try evaluator.decisions(for: code, asOf: asOf, in: db)
            for d in ds { try rows.insert(d) }
            if before == 0 && !ds.isEmpty { summary.subjectsWithMeasures += 1 }
            summary.decisions += ds.count - before
        }
        progress?(summary.subjectsEvaluated)
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    /// The subjects whose decisions may change when the facts of `touched` changed: the
    /// subjects themselves, the persons their measures extend to, and the organisations they
    /// serve (whose conditions may read them).
    public func affected(by touched: some Sequence<String>, in db: Database) throws -> Set<String> {
        var out = Set<String>()
        for code in touched {
            out.insert(code)
            for p in try String.fetchAll(db.cachedStatement(sql: "SELECT DISTINCT to_code FROM relation WHERE from_code = ?"), arguments: [code]) {
                out.insert(p)
            }
            if rules.readsRelatedFacts {
                out.formUnion(try String.fetchAll(db.cachedStatement(sql: "SELECT DISTINCT from_code FROM relation WHERE to_code = ?"), arguments: [code]))
            }
        }
        return out
    }

    /// Re-evaluates only `touched` and the subjects related to them, in the caller's transaction.
    public func materialise(touched: some Sequence<String>, asOf: Day, in db: Database) throws -> Summary {
        let started = Date()
        var summary = Summary()
        let evaluator = RegistryEvaluator(rules: rules, registry: registry)
        let rows = try DecisionRows(rules: rules, asOf: asOf, in: db)
        for code in try affected(by: touched, in: db).sorted() {
            summary.subjectsEvaluated += 1
            try db.cachedStatement(sql: "DELETE FROM decision WHERE subject_code = ?").execute(arguments: [code])
            let ds = try evaluator.decisions(for: code, asOf: asOf, in: db)
            for d in ds { try rows.insert(d) }
            if !ds.isEmpty { summary.subjectsWithMeasures += 1 }
            summary.decisions += ds.count
        }
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }
}
