import CreditRegistry
import Decisions
import Foundation

/// What a department reports it did: it applied `measure` to the subject `subject` names.
public struct FeedbackRequest: Sendable, Hashable {
    /// Any identifier of the subject (USCC, resident ID, registration number, …).
    public var subject: String
    public var measure: String
    /// The department's id (or its name as the rules give it).
    public var department: String
    public var caseNumber: String
    /// The day the measure was applied.
    public var appliedOn: Day
    /// Who records it (the audit actor).
    public var officer: String

    public init(subject: String, measure: String, department: String, caseNumber: String, appliedOn: Day, officer: String) {
        self.subject = subject; self.measure = measure; self.department = department
        self.caseNumber = caseNumber; self.appliedOn = appliedOn; self.officer = officer
    }
}

/// A feedback refused, with what was wrong.
public enum FeedbackError: Error, CustomStringConvertible, Sendable, Equatable {
    case unknownSubject(String)
    /// The measure is not in force for the subject on the day it was applied.
    case measureNotApplicable(measure: String, subject: String, on: Day)
    /// The measure belongs to another department.
    case wrongDepartment(measure: String, department: String, owner: String)
    case emptyCaseNumber
    case appliedInFuture(Day, today: Day)

    public var description: String {
        switch self {
        case .unknownSubject(let s): "no subject has the identifier \(IdentityMask.forDisplay(s))"
        case .measureNotApplicable(let m, let s, let d): "measure \(m) is not in force for \(IdentityMask.forDisplay(s)) on \(d)"
        case .wrongDepartment(let m, let d, let owner): "measure \(m) is applied by department \(owner), not \(d)"
        case .emptyCaseNumber: "a case number is required"
        case .appliedInFuture(let d, let today): "applied on \(d), which is after today (\(today))"
        }
    }
}

extension CreditOperations {
    /// Records that a department applied a measure to a subject (发起–响应–反馈: the feedback).
    ///
    /// Refused unless the measure is in force for the subject on the day it was applied and
    /// belongs to the department. The feedback row (append-only) and the `measure-feedback`
    /// message for the national platform commit in one transaction; the audit entry is written
    /// before it (and a `feedback.failed` entry when it is refused).
    public func recordFeedback(_ request: FeedbackRequest) throws -> Feedback {
        let caseNumber = request.caseNumber.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !caseNumber.isEmpty else { throw FeedbackError.emptyCaseNumber }
        let today = clock.today()
        guard request.appliedOn <= today else { throw FeedbackError.appliedInFuture(request.appliedOn, today: today) }
        let keeper = feedbackKeeper
        let recordedAt = ISO8601DateFormatter().string(from: Date())
        guard let code = try keeper.subjectCode(request.subject) else {
            throw FeedbackError.unknownSubject(request.subject)
        }
        // The audit log has a file of its own: the attempt is audited first (and `.failed` when refused).
        let detail = "measure \(request.measure) applied by \(request.department) on \(request.appliedOn), case \(caseNumber)"
        let stored = try audited(actor: request.officer, action: "feedback", subject: code, detail: detail) {
            try keeper.append(subject: code, appliedOn: request.appliedOn) { decisions -> Feedback in
                let inForce = decisions.filter { $0.measure == request.measure }
                guard !inForce.isEmpty else {
                    throw FeedbackError.measureNotApplicable(measure: request.measure, subject: code, on: request.appliedOn)
                }
                guard let decision = inForce.first(where: { $0.department == request.department || $0.departmentName == request.department }) else {
                    throw FeedbackError.wrongDepartment(measure: request.measure, department: request.department, owner: inForce[0].department)
                }
                return Feedback(id: 0, subjectCode: code, measure: request.measure, department: decision.department,
                                caseNumber: caseNumber, appliedOn: request.appliedOn, officer: request.officer, recordedAt: recordedAt)
            }
        }
        logger.info("feedback recorded", metadata: ["subject": "\(IdentityMask.forDisplay(stored.subjectCode))", "measure": "\(stored.measure)",
                                                    "department": "\(stored.department)", "officer": "\(stored.officer)"])
        return stored
    }

    /// The feedback recorded for the subject any identifier names (nil when none does).
    public func feedback(of identifier: String, asOf: Day? = nil) throws -> [Feedback]? {
        try feedbackKeeper.feedback(of: identifier, asOf: day(asOf))
    }

    /// Where feedback is kept: ``feedbackStore`` when set (PostgreSQL), else the SQLite registry.
    var feedbackKeeper: any FeedbackKeeping {
        feedbackStore ?? SQLiteFeedbackKeeping(registry: registry, activeRules: activeRules)
    }
}
