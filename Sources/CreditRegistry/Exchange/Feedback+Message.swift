extension Feedback {
    /// The JSON payload of the `measure-feedback` message that tells the national platform of
    /// this feedback (once stored: it carries the feedback's id).
    public func measureFeedbackPayload() throws -> String {
        try ExchangePayload.encode(ExchangePayload.MeasureFeedback(
            feedbackId: id, measure: measure, department: department, caseNumber: caseNumber,
            appliedOn: appliedOn.description, officer: officer))
    }
}
