import CreditRegistry
import Decisions

/// ``FeedbackKeeping`` on the SQLite registry: the decisions through the active rule set's
/// provider, the feedback row and its outbox message in one write transaction.
struct SQLiteFeedbackKeeping: FeedbackKeeping {
    let registry: Registry
    let activeRules: ActiveRuleCache

    func subjectCode(_ identifier: String) throws -> String? {
        try registry.read { db in try registry.lookup(identifier, in: db)?.code }
    }

    func append(subject code: String, appliedOn: Day, admit: @Sendable ([StoredDecision]) throws -> Feedback) throws -> Feedback {
        let provider = try activeRules.provider()
        return try registry.write { db -> Feedback in
            let feedback = try FeedbackStore().append(try admit(try provider.decisions(for: code, asOf: appliedOn, in: db)), in: db)
            try Outbox().enqueue(.measureFeedback, subject: code, payload: try feedback.measureFeedbackPayload(), in: db)
            return feedback
        }
    }

    func feedback(of identifier: String, asOf: Day) throws -> [Feedback]? {
        try registry.read { db in
            guard let s = try registry.lookup(identifier, in: db) else { return nil }
            return try FeedbackStore().feedback(of: s.code, asOf: asOf, in: db)
        }
    }
}
