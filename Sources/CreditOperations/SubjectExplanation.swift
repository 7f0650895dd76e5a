import CreditRegistry
import RuleEngine

/// What `rules explain` shows for one subject (``CreditOperations/explainSubject(_:rules:asOf:)``).
public struct SubjectExplanation: Sendable {
    public var subject: Subject
    public var asOf: Day
    /// The subject's evaluation, and for a person each organisation it serves.
    public var explanations: [Explanation]
    /// The source records the rules cite.
    public var records: [StoredRecord]
}
