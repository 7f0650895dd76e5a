import CreditOperations
import CreditRegistry
import CreditTestSupport
import Logging
@testable import creditctl

extension TestBackend {
    /// The use-case layer over a fresh registry of this backend in `scratch`, on the day `today`:
    /// SQLite through `CreditOperations.open`, PostgreSQL through the factory `creditctl serve`
    /// uses (`PostgresOperations.open`), so the app is built over what a server runs on.
    func operations(in scratch: TemporaryDirectory, today: Day) throws -> CreditOperations {
        let registry = try registry(in: scratch)
        switch self {
        case .sqlite:
            return try CreditOperations.open(path: registry.db, clock: .fixed(today))
        case .postgres:
            return try PostgresOperations.open(registry.db, auditKey: registry.auditKey, clock: .fixed(today),
                                               logger: Logger(label: "credit.test"))
        }
    }
}
