import CreditRegistry
import Decisions
import Foundation
import RuleEngine

/// Keeps PostgreSQL's `decision` table in step with its registry and a rule set, inside the
/// caller's transaction, with the decisions the SQLite ``DecisionMaterialiser`` writes: a full
/// recompute (activation, rollback, refresh, a feed too large to list its subjects) and an
/// incremental one (the subjects a feed touched and those related to them).
///
/// Facts are read batch by batch (subjects in code order) into a ``PostgresFactSnapshot``, where
/// the registry's own loaders and evaluator read them; the decisions go back as multi-row inserts.
struct PostgresMaterialiser {
    let rules: CompiledRuleSet
    let statements: PipelinedStatements
    /// Subjects read and evaluated together.
    var subjectsPerBatch = 4096

    init(rules: CompiledRuleSet, statements: PipelinedStatements) {
        self.rules = rules
        self.statements = statements
    }

    /// Recomputes every subject's decisions as of `asOf`.
    func materialiseAll(asOf: Day, progress: ((Int) -> Void)? = nil) throws -> DecisionMaterialiser.Summary {
        let started = Date()
        var summary = DecisionMaterialiser.Summary()
        try statements.send("DELETE FROM decision", "remove the decisions")
        let snapshot = try PostgresFactSnapshot()
        let evaluator = RegistryEvaluator(rules: rules, registry: snapshot.registry)
        let rows = PostgresDecisionRows(rules: rules, asOf: asOf, statements: statements)
        var extendedTo = Set<String>()
        var ownRows: [String: Int] = [:]
        try SubjectCodeBatches.forEach(statements, size: subjectsPerBatch) { codes in
            try snapshot.load(codes, from: statements)
            let batch = Set(codes)
            func handle(_ code: String, _ ds: [Decision]) throws {
                summary.subjectsEvaluated += 1
                var own = 0
                for d in ds {
                    if d.subject == code { try rows.insert(d); own += 1 } else { extendedTo.insert(d.subject) }
                }
                if own > 0 { summary.subjectsWithMeasures += 1; ownRows[code] = own }
                summary.decisions += own
                if summary.subjectsEvaluated % 10_000 == 0 { progress?(summary.subjectsEvaluated) }
            }
            // As the SQLite materialiser evaluates a subject of the whole registry: facts streamed
            // in code order (with the related subjects' when the rules read them), or, when
            // verification facts were recorded, loaded subject by subject with them.
            try snapshot.read { db in
                if try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM verification_fact)") ?? false {
                    for code in codes.sorted() {
                        if rules.readsRelatedFacts {
                            try handle(code, try evaluator.decisions(for: code, asOf: asOf, in: db))
                        } else if var facts = try snapshot.registry.facts(of: code, asOf: asOf, in: db) {
                            try VerificationStore.attach(to: &facts, asOf: asOf, in: db)
                            try handle(code, rules.evaluate(facts, asOf: asOf))
                        } else {
                            try handle(code, [])
                        }
                    }
                    return
                }
                var own = try FactsStream(db: db, asOf: asOf)
                var related = rules.readsRelatedFacts ? try RelatedFactsStream(db: db, asOf: asOf, keyPersons: rules.readsKeyPersonsFacts) : nil
                while let facts = try own.next() {
                    // The snapshot also holds the batch's related subjects: they are evaluated in their own batch.
                    guard batch.contains(facts.code) else { continue }
                    if related != nil {
                        let others = try related!.related(of: facts.code)
                        try handle(facts.code, rules.decisions(for: facts.code, own: facts, related: others, asOf: asOf))
                    } else {
                        try handle(facts.code, rules.evaluate(facts, asOf: asOf))
                    }
                }
            }
            try rows.flush()
        }
        // Persons reached through organisations: their final set merges every route and applies
        // the conflict policy across them.
        let extended = extendedTo.sorted()
        for start in stride(from: 0, to: extended.count, by: subjectsPerBatch) {
            let codes = Array(extended[start..<min(extended.count, start + subjectsPerBatch)])
            try snapshot.load(codes, from: statements)
            try rows.delete(codes)
            try snapshot.read { db in
                for code in codes {
                    let before = ownRows[code] ?? 0
                    let ds = try evaluator.decisions(for: code, asOf: asOf, in: db)
                    for d in ds { try rows.insert(d) }
                    if before == 0 && !ds.isEmpty { summary.subjectsWithMeasures += 1 }
                    summary.decisions += ds.count - before
                }
            }
            try rows.flush()
        }
        try statements.drain()
        progress?(summary.subjectsEvaluated)
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    /// The subjects whose decisions may change when the facts of `touched` changed: the
    /// subjects themselves, the persons their measures extend to, and (when the rules read
    /// related subjects) the organisations they serve.
    func affected(by touched: [String]) throws -> Set<String> {
        var out = Set(touched)
        for row in try statements.query("SELECT DISTINCT to_code FROM relation WHERE from_code = ANY(\(touched))", "find the persons of touched subjects") {
            out.insert(try row.decode(String.self))
        }
        if rules.readsRelatedFacts {
            for row in try statements.query("SELECT DISTINCT from_code FROM relation WHERE to_code = ANY(\(touched))",
                                            "find the organisations of touched subjects") {
                out.insert(try row.decode(String.self))
            }
        }
        return out
    }

    /// Re-evaluates only `touched` and the subjects related to them, as of `asOf`.
    func materialise(touched: [String], asOf: Day) throws -> DecisionMaterialiser.Summary {
        let started = Date()
        var summary = DecisionMaterialiser.Summary()
        let snapshot = try PostgresFactSnapshot()
        let evaluator = RegistryEvaluator(rules: rules, registry: snapshot.registry)
        let rows = PostgresDecisionRows(rules: rules, asOf: asOf, statements: statements)
        let affected = try affected(by: touched).sorted()
        for start in stride(from: 0, to: affected.count, by: subjectsPerBatch) {
            let codes = Array(affected[start..<min(affected.count, start + subjectsPerBatch)])
            try snapshot.load(codes, from: statements)
            try rows.delete(codes)
            try snapshot.read { db in
                for code in codes {
                    summary.subjectsEvaluated += 1
                    let ds = try evaluator.decisions(for: code, asOf: asOf, in: db)
                    for d in ds { try rows.insert(d) }
                    if !ds.isEmpty { summary.subjectsWithMeasures += 1 }
                    summary.decisions += ds.count
                }
            }
            try rows.flush()
        }
        try statements.drain()
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }
}
