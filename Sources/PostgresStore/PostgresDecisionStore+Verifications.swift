import CreditRegistry
import Decisions

extension PostgresDecisionStore {
    package func recordVerification(_ fact: VerificationFact, subject code: String, recordedOn: Day,
                                    asOf: Day) throws -> (id: Int64, reevaluated: Int?)? {
        if let f = fact.from, let u = fact.until, u <= f { throw VerificationError.emptyPeriod(from: f, until: u) }
        return try pool.with { session in
            try session.transaction {
                let statements = try PipelinedStatements(session: session)
                guard try !statements.query("SELECT 1 FROM subject WHERE code = \(code)", "look up the subject").isEmpty else { return nil }
                let id = try statements.query("""
                    INSERT INTO verification_fact (subject_code, fact, holds, valid_from, valid_until, source, recorded_on)
                    VALUES (\(code), \(fact.fact.rawValue), \(fact.holds ? 1 : 0), \(fact.from?.description), \(fact.until?.description),
                            \(fact.source), \(recordedOn.description))
                    RETURNING id
                    """, "record the verification")[0].decode(Int64.self)
                // As a feed's re-evaluation: the rule set's lock shared, an activation waits.
                try statements.query("SELECT pg_advisory_xact_lock_shared(\(Self.lockKey))", "wait for a rule activation")
                guard let rules = try activeRuleSet({ try statements.query($0, $1) }) else { return (id, nil) }
                let summary = try PostgresMaterialiser(rules: rules, statements: statements).materialise(touched: [code], asOf: asOf)
                try statements.drain()
                return (id, summary.subjectsEvaluated)
            }
        }
    }
}
