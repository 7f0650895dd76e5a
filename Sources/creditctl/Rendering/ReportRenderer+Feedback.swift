import CreditQuery

extension ReportRenderer {
    /// One feedback line under a measure: "applied by finance on 2026-11-28, case 厦财采〔2026〕12号 (cli:wang)".
    static func appliedText(_ a: SubjectReport.Application) -> String {
        "applied by \(a.department) on \(a.appliedOn), case \(a.caseNumber) (\(a.officer))"
    }
}
