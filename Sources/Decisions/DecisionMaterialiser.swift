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
    /// Connections that read and evaluate a full materialisation at once, each over its own
    /// ranges of subject codes (on a database pool; 1 reads on one thread beside the writer).
    public var readers: Int
    /// Subjects in each range the readers take in turn.
    public var subjectsPerRange = 4096

    public init(rules: CompiledRuleSet, registry: Registry,
                readers: Int = min(4, max(1, ProcessInfo.processInfo.activeProcessorCount))) {
        self.rules = rules
        self.registry = registry
        self.readers = readers
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
        // Streamed facts get the verification facts the per-subject loader attaches, so both
        // paths evaluate the same facts (one query a subject only when any were recorded).
        let verifications = try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM verification_fact)") ?? false
        let parallelPool = readers > 1 && !verifications ? registry.writer as? DatabasePool : nil
        // The subjects that may contribute are looked up on another thread while this one prepares.
        let candidates = parallelPool.flatMap { pool in
            rules.evaluatesThroughContributions ? rules.contributionSources.map { ContributionCandidates(pool, sources: $0) } : nil
        }
        // The decision table's secondary indexes are built once, after every row is written (one
        // sort each instead of an index insertion a row), in the same transaction.
        let indexes = try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'decision' AND sql IS NOT NULL")
        for name in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'decision' AND sql IS NOT NULL") {
            try db.execute(sql: "DROP INDEX \(name.quotedDatabaseIdentifier)")
        }
        try db.execute(sql: "DELETE FROM decision")
        var extendedTo = Set<String>()
        let evaluator = RegistryEvaluator(rules: rules, registry: registry)
        let rows = try DecisionRows(rules: rules, asOf: asOf, in: db)

        // Rules that read related subjects get them streamed beside each subject's own facts
        // (verification facts, when any were recorded, are attached per subject instead): as the
        // contributions of the organisations each subject serves when the rules allow it, read
        // once before the subjects are evaluated, else as the related subjects' facts.
        let streamsRelated = rules.readsRelatedFacts && !verifications
        let throughContributions = streamsRelated && rules.evaluatesThroughContributions
        // Which subjects have rows in the tables related subjects are read from: the probes that
        // would find nothing (most organisations have no penalty, licence or list entry) are skipped.
        let presence = streamsRelated && !throughContributions
            ? try FactPresence.read(Self.presenceKinds(keyPersons: rules.readsKeyPersonsFacts), in: db) : nil
        let direct: RelatedReading = streamsRelated ? .facts(keyPersons: rules.readsKeyPersonsFacts, presence: presence) : .none

        func record(_ code: String, _ ds: [Decision]) throws {
            summary.subjectsEvaluated += 1
            var own = 0
            for d in ds {
                if d.subject == code { try rows.insert(d); own += 1 } else { extendedTo.insert(d.subject) }
            }
            if own > 0 { summary.subjectsWithMeasures += 1 }
            summary.decisions += own
            if summary.subjectsEvaluated % 10_000 == 0 { progress?(summary.subjectsEvaluated) }
        }

        func handle(_ streamed: SubjectFacts, related: [SubjectFacts], _ reading: RelatedReading) throws {
            var facts = streamed
            if verifications && !rules.readsRelatedFacts { try VerificationStore.attach(to: &facts, asOf: asOf, in: db) }
            let ds: [Decision]
            if !streamsRelated && rules.readsRelatedFacts {
                ds = try evaluator.decisions(for: facts.code, asOf: asOf, in: db)
            } else {
                ds = reading.decisions(rules, facts, related: related, asOf: asOf)
            }
            try record(facts.code, ds)
        }

        if let pool = parallelPool {
            // Reading and evaluating need no write connection: the readers split the registry
            // into code ranges and hand back each range's decisions in code order.
            let ranges = try CodeRange.split(subjectsPerRange: subjectsPerRange, in: db)
            try ParallelEvaluation(rules: rules, asOf: asOf, related: streamsRelated, presence: presence, readers: readers, ranges: ranges,
                                   candidates: candidates)
                .run(pool, record)
        } else if let pool = registry.writer as? DatabasePool {
            let queue = BoundedQueue<[(SubjectFacts, [SubjectFacts])]>(capacity: 16)
            let failure = LockedBox<(any Error)?>(nil)
            let shared = LockedBox<RelatedReading?>(nil)
            let thread = Thread { [rules] in
                do {
                    try pool.read { rdb in
                        var batch: [(SubjectFacts, [SubjectFacts])] = []
                        batch.reserveCapacity(512)
                        let reading = throughContributions ? .contributions(try ContributionTable.readAll(rdb, rules: rules, asOf: asOf)) : direct
                        shared.value = reading
                        try Self.stream(rdb, asOf: asOf, related: reading) { f, related in
                            batch.append((f, related))
                            if batch.count == 512 {
                                guard queue.put(batch) else { return false }
                                batch.removeAll(keepingCapacity: true)
                            }
                            return true
                        }
                        if !batch.isEmpty { _ = queue.put(batch) }
                    }
                } catch { failure.value = error }
                queue.close()
            }
            thread.start()
            do {
                var reading: RelatedReading? = nil
                while let batch = queue.take() {
                    // The reader chose how it reads related subjects before it sent the first batch.
                    if reading == nil { reading = shared.value }
                    for (f, related) in batch { try handle(f, related: related, reading ?? direct) }
                }
            } catch {
                queue.close()
                throw error
            }
            if let e = failure.value { throw e }
        } else {
            let r = throughContributions ? .contributions(try ContributionTable.readAll(db, rules: rules, asOf: asOf)) : direct
            try Self.stream(db, asOf: asOf, related: r) { f, related in
                try handle(f, related: related, r); return true
            }
        }

        for sql in indexes { try db.execute(sql: sql) }

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

    /// Reads every subject's facts in code order, with its related subjects' facts when
    /// `related` is `.facts` (the organisations it serves, and its key persons when asked; else
    /// none), or with its roles in the organisations that contribute when it is `.contributions`;
    /// `each` returns false to stop.
    static func stream(_ db: Database, asOf: Day, related reading: RelatedReading, range: CodeRange = .all,
                       _ each: (SubjectFacts, [SubjectFacts]) throws -> Bool) throws {
        var own = try FactsStream(db: db, asOf: asOf, range: range, kinds: reading.kinds)
        var related: RelatedFactsStream? = nil
        if case .facts(let keyPersons, let presence) = reading {
            related = try RelatedFactsStream(db: db, asOf: asOf, keyPersons: keyPersons, range: range, presence: presence)
        }
        var table: ContributionTable? = nil
        if case .contributions(let t) = reading { table = t }
        while var f = try own.next() {
            if let table { f.roles = table.roles(of: f.code) }
            guard try each(f, try related?.related(of: f.code) ?? []) else { return }
        }
    }

    /// The fact tables worth a presence set for the related subjects' reads: the sparse ones, and
    /// with key persons streamed those persons lack (statuses, tax grades, key persons of their own).
    static func presenceKinds(keyPersons: Bool) -> [FactPresence.Kind] {
        keyPersons ? FactPresence.Kind.allCases : [.listEntries, .penalties, .licences, .roles]
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
