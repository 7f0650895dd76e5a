import CreditRegistry
import GRDB

extension ReportBuilder {
    /// The measures with the feedback recorded under each (applied on or before `asOf`): the
    /// "applied by … on …" lines of a report.
    static func withFeedback(_ measures: [SubjectReport.Measure], of code: String, asOf: Day, in db: Database) throws -> [SubjectReport.Measure] {
        let feedback = try FeedbackStore().feedback(of: code, asOf: asOf, in: db)
        guard !feedback.isEmpty else { return measures }
        let byMeasure = Dictionary(grouping: feedback, by: \.measure)
        return measures.map { m in
            var m = m
            m.applied = (byMeasure[m.measure] ?? []).filter { $0.department == m.department }.map {
                SubjectReport.Application(department: $0.department, appliedOn: $0.appliedOn, caseNumber: $0.caseNumber, officer: $0.officer)
            }
            return m
        }
    }
}
