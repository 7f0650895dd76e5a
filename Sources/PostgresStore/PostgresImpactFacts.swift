import CreditRegistry
import Decisions
import GRDB
import PostgresNIO
import RuleEngine

/// The facts of a PostgreSQL registry for ``ImpactDiff``: subjects taken in code order,
/// `subjectsPerBatch` at a time, each batch's facts (with those of the subjects related to it)
/// read into a ``PostgresFactSnapshot`` and streamed there by the same ``FactsStream`` as on
/// SQLite, so each subject is given the facts SQLite's stream gives it. Memory follows the
/// batch, not the registry. Runs inside the caller's transaction (one snapshot for the whole diff).
struct PostgresImpactFacts: ImpactFactSource {
    let statements: PipelinedStatements
    /// Subjects read and evaluated together.
    let subjectsPerBatch: Int

    func forEachSubject(asOf: Day, _ body: (SubjectFacts) throws -> Void) throws {
        let snapshot = try PostgresFactSnapshot()
        try SubjectCodeBatches.forEach(statements, size: subjectsPerBatch) { codes in
            try snapshot.load(codes, from: statements)
            let batch = Set(codes)
            try snapshot.read { db in
                var stream = try FactsStream(db: db, asOf: asOf)
                while let facts = try stream.next() {
                    // The snapshot also holds the batch's related subjects: they are fed with their own batch.
                    if batch.contains(facts.code) { try body(facts) }
                }
            }
        }
    }

    func names(of codes: [String]) throws -> [String: String] {
        var names: [String: String] = [:]
        for start in stride(from: 0, to: codes.count, by: subjectsPerBatch) {
            let chunk = Array(codes[start..<min(codes.count, start + subjectsPerBatch)])
            for row in try statements.query("SELECT code, name FROM subject WHERE code = ANY(\(chunk))", "read the names of changed subjects") {
                let (code, name) = try row.decode((String, String).self)
                names[code] = name
            }
        }
        return names
    }
}

extension PostgresDecisionStore {
    /// Subjects a diff reads and evaluates together unless told otherwise.
    static let impactBatch = 4096

    /// ``ImpactDiff`` of `candidate` against the active rule set over the PostgreSQL registry,
    /// as of `asOf`: the active version and every subject's facts read in one `REPEATABLE READ,
    /// READ ONLY` transaction. It takes no lock: the snapshot already sees one rule set and one
    /// state of the facts whatever commits meanwhile, and a diff of a large registry must not hold
    /// activations or feeds back while it runs.
    package func impact(of candidate: CompiledRuleSet, asOf: Day, subjectsPerBatch: Int?) throws -> ImpactDiff {
        try pool.with { session in
            try session.transaction {
                try session.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", "start a read snapshot")
                let statements = try PipelinedStatements(session: session)
                let current = try activeRuleSet { try statements.query($0, $1) }
                let facts = PostgresImpactFacts(statements: statements, subjectsPerBatch: max(1, subjectsPerBatch ?? Self.impactBatch))
                return try ImpactDiff.compute(candidate: candidate, current: current, facts: facts, asOf: asOf)
            }
        }
    }
}
