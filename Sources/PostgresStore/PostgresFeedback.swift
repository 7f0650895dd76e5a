import CreditRegistry
import Decisions
import PostgresNIO

/// The feedback of joint punishment in PostgreSQL's `feedback` table, its `measure-feedback`
/// messages in `outbox` (``FeedbackKeeping``).
///
/// An append is one transaction that holds the rule set's advisory lock shared (as a feed's
/// re-evaluation does, ``PostgresDecisionStore``): no activation, rollback or refresh commits
/// between the moment the decisions in force are read and the moment the feedback that they
/// admit commits, as the single writer of a SQLite registry guarantees there.
public struct PostgresFeedback: FeedbackKeeping {
    public let pool: PostgresSessionPool
    private let onTheFly: PostgresMeasuresOnTheFly

    public init(pool: PostgresSessionPool, decisions: PostgresDecisionStore) {
        self.pool = pool
        onTheFly = PostgresMeasuresOnTheFly(rules: decisions)
    }

    package func subjectCode(_ identifier: String) throws -> String? {
        try pool.with { session in try Self.code(of: identifier, in: session) }
    }

    package func append(subject code: String, appliedOn: Day, admit: @Sendable ([StoredDecision]) throws -> Feedback) throws -> Feedback {
        try pool.with { session in
            try session.transaction {
                try session.query("SELECT pg_advisory_xact_lock_shared(\(PostgresDecisionStore.lockKey))", "wait for a rule activation")
                let feedback = try admit(try decisions(for: code, on: appliedOn, in: session))
                let id = try session.query("""
                    INSERT INTO feedback (subject_code, measure, department, case_number, applied_on, officer, recorded_at)
                    VALUES (\(feedback.subjectCode), \(feedback.measure), \(feedback.department), \(feedback.caseNumber),
                            \(feedback.appliedOn.description), \(feedback.officer), \(feedback.recordedAt))
                    RETURNING id
                    """, "append the feedback")[0].decode(Int64.self)
                var stored = feedback
                stored.id = id
                try session.query("""
                    INSERT INTO outbox (kind, subject_code, payload, created_at)
                    VALUES (\(ExchangePayload.Kind.measureFeedback.rawValue), \(code), \(try stored.measureFeedbackPayload()), \(stored.recordedAt))
                    """, "queue the feedback for the national platform")
                return stored
            }
        }
    }

    package func feedback(of identifier: String, asOf: Day) throws -> [Feedback]? {
        try pool.with { session in
            guard let code = try Self.code(of: identifier, in: session) else { return nil }
            return try session.query("""
                SELECT id, subject_code, measure, department, case_number, applied_on, officer, recorded_at FROM feedback
                WHERE subject_code = \(code) AND applied_on <= \(asOf.description) ORDER BY applied_on COLLATE "C", id
                """, "read the feedback of a subject").map { row in
                let (id, subject, measure, department, caseNumber, appliedOn, officer, recordedAt) =
                    try row.decode((Int64, String, String, String, String, String, String, String).self)
                guard let day = try? Day(appliedOn) else {
                    throw StoredValueError(table: "feedback", column: "applied_on", row: "\(id)", value: appliedOn)
                }
                return Feedback(id: id, subjectCode: subject, measure: measure, department: department, caseNumber: caseNumber,
                                appliedOn: day, officer: officer, recordedAt: recordedAt)
            }
        }
    }

    /// The decisions in force for `code` on `day`: the decision table when no rule set is active
    /// or the table was evaluated for that day, else the active rule set evaluated on the fly.
    private func decisions(for code: String, on day: Day, in session: PostgresSession) throws -> [StoredDecision] {
        let evaluatedOn = try session.query("SELECT max(evaluated_on COLLATE \"C\") FROM decision", "read the decision table's day")[0]
            .decode(String?.self)
        if evaluatedOn != day.description, let onDay = try onTheFly.decisions(for: code, asOf: day, in: session) { return onDay }
        let text = day.description
        return try session.query("""
            SELECT \(unescaped: PostgresRegistryReading.decisionColumns) FROM decision d
            WHERE d.subject_code = \(code) AND d.valid_from <= \(text) AND (d.valid_until IS NULL OR d.valid_until > \(text))
            ORDER BY d.kind COLLATE "C" DESC, d.department COLLATE "C", d.measure COLLATE "C", d.valid_from COLLATE "C"
            """, "read the decisions in force").map { try PostgresRegistryReading.decision(code: code, cells: Array($0)) }
    }

    /// The code of the subject an identifier names (any alias).
    static func code(of identifier: String, in session: PostgresSession) throws -> String? {
        let value = IdentifierText.normalise(identifier)
        return try session.query("""
            SELECT code FROM subject WHERE code = \(value)
            UNION ALL SELECT a.subject_code FROM alias a JOIN subject s ON s.code = a.subject_code WHERE a.value = \(value) LIMIT 1
            """, "look up \(IdentityMask.forDisplay(identifier))").first?.decode(String.self)
    }
}
