import CreditRegistry

/// Where the feedback of joint punishment is kept: the SQLite registry, or the PostgreSQL
/// backend's `feedback` and `outbox` tables.
///
/// The checks belong to the caller (``CreditOperations/recordFeedback(_:)``); a keeper gives it
/// the decisions in force on the applied day inside the transaction that appends the feedback,
/// so that nothing changes the decisions between the check and the append.
package protocol FeedbackKeeping: Sendable {
    /// The registry code of the subject `identifier` names (any alias), nil when none does.
    func subjectCode(_ identifier: String) throws -> String?

    /// In one transaction: hands `admit` the decisions in force for `code` on `appliedOn` (the
    /// decision table when it was evaluated for that day, else the active rule set evaluated on
    /// the fly); appends the feedback `admit` returns (its id is given by the store) and queues
    /// its `measure-feedback` message (``Feedback/measureFeedbackPayload()``). When `admit`
    /// throws, nothing is written and the error is rethrown.
    func append(subject code: String, appliedOn: Day, admit: @Sendable ([StoredDecision]) throws -> Feedback) throws -> Feedback

    /// The feedback recorded for the subject `identifier` names, applied on or before `asOf`,
    /// oldest first; nil when no subject has that identifier.
    func feedback(of identifier: String, asOf: Day) throws -> [Feedback]?
}
