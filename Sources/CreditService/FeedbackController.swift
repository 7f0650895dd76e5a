import CreditOperations
import CreditRegistry
import Foundation
import Hummingbird

/// `POST /v1/feedback`: an officer reports that their department applied a measure.
///
/// Body: `{"subject": "91350200MA2XH1K70Y", "measure": "…", "case_number": "…", "date": "2026-11-28"}`
/// (`department`, if given, must be the caller's). Only officers, and only for measures of their
/// own department; answers 201 with the stored feedback.
struct FeedbackController {
    let operations: CreditOperations
    let pool: BlockingPool

    var endpoints: RouteCollection<ServiceContext> {
        RouteCollection(context: ServiceContext.self).post("feedback", use: record)
    }

    struct Body: Decodable {
        var subject: String
        var measure: String
        var caseNumber: String
        var date: String
        var department: String?
    }

    @Sendable func record(_ request: Request, context: ServiceContext) async throws -> Response {
        let caller = try context.require({ $0 == .officer }, "record feedback (officers only)")
        guard let department = caller.department else {
            throw Problem(.forbidden, code: "no_department", detail: "officer \(caller.name) belongs to no department")
        }
        let bytes = try await request.body.collect(upTo: 64 * 1024)
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let body: Body
        do { body = try decoder.decode(Body.self, from: Data(buffer: bytes)) } catch {
            throw Problem(.badRequest, code: "bad_body", detail: "expected JSON {subject, measure, case_number, date}: \(error)")
        }
        if let given = body.department, given != department {
            throw Problem(.forbidden, code: "wrong_department", detail: "officer of \(department) may not record feedback for \(given)")
        }
        let day: Day
        do { day = try Day(body.date) } catch { throw Problem(.badRequest, code: "bad_date", detail: "date: \(error.description)") }
        let feedback = FeedbackRequest(subject: body.subject, measure: body.measure, department: department,
                                       caseNumber: body.caseNumber, appliedOn: day, officer: "api:\(caller.name)")
        let operations = self.operations
        do {
            let stored = try await pool.run { try operations.recordFeedback(feedback) }
            return try JSONBody.response(stored, status: .created)
        } catch let e as FeedbackError {
            switch e {
            case .unknownSubject: throw Problem(.notFound, code: "unknown_subject", detail: e.description)
            case .wrongDepartment: throw Problem(.forbidden, code: "wrong_department", detail: e.description)
            case .measureNotApplicable: throw Problem(.unprocessableContent, code: "measure_not_applicable", detail: e.description)
            case .emptyCaseNumber, .appliedInFuture: throw Problem(.badRequest, code: "bad_feedback", detail: e.description)
            }
        }
    }
}
