import CreditOperations
import FeedIngest

/// The exchange with the national credit-information sharing platform: an adapter over
/// ``CreditOperations``. For now it reads the national lists the platform distributes (the
/// court's dishonest judgment debtors) and hands them to the same import use-case the CLI uses.
///
/// ```swift
/// let outcome = try NationalBridge(operations: ops).importDishonestDebtors(path: "debtors.csv")
/// ```
public struct NationalBridge: Sendable {
    public let operations: CreditOperations

    public init(operations: CreditOperations) { self.operations = operations }

    /// Reads and imports a dishonest-debtor list file. A file that cannot be read as a list is
    /// refused (nothing stored) with its reason in the report.
    public func importDishonestDebtors(path: String) throws -> FeedOutcome {
        let list: NationalListFile
        do { list = try NationalListReader().read(path: path) } catch let e as NationalListError {
            var report = IngestReport(file: path, outcome: .refused)
            report.bureau = "national"
            report.kind = "full"
            report.reason = e.description
            return FeedOutcome(report: report, reevaluation: nil)
        }
        return try operations.importNationalList(list)
    }
}
