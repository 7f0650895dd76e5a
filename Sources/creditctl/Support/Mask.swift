import CreditRegistry
import CreditOperations
import Decisions
import CreditQuery

/// Masking of personal ID numbers for display.
enum Mask {
    static func code(_ code: String, kind: SubjectKind) -> String {
        kind == .naturalPerson ? IdentityMask.residentID(code) : code
    }
}
