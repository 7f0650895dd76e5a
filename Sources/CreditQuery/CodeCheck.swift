import CreditRegistry
import Decisions
/// The seam through which the batch check validates codes: normalises a code as typed and says
/// whether it is valid and, if not, why.
///
/// ``builtIn`` is the registry's own validator (``IdentifierDetector``: USCC with its pairs and
/// check characters, resident IDs in 18 or 15 digits, registration numbers, organisation codes);
/// the normalised text of a valid code is its registry key (a 15-digit resident ID becomes its
/// 18-digit form). Tests or special deployments may pass another:
///
/// ```swift
/// let check = CodeCheck.builtIn
/// check("9135 0100 M000 100Y 43").normalised   // "91350100M000100Y43"
/// check("91350100M000100Y4Z").reason           // "… position 18 …"
/// ```
public struct CodeCheck: Sendable {
    public typealias Result = (normalised: String, valid: Bool, reason: String?)
    private let body: @Sendable (String) -> Result

    public init(_ body: @escaping @Sendable (String) -> Result) { self.body = body }

    public func callAsFunction(_ text: String) -> Result { body(text) }

    /// The registry's validator (see the type's summary).
    public static let builtIn = CodeCheck { text in
        let n = IdentifierText.normalise(text)
        if n.isEmpty { return (n, false, "blank code") }
        let candidates = IdentifierDetector.detect(n)
        if let valid = candidates.first(where: \.isValid), let id = valid.identifier {
            return (IdentifierText.normalise(id.description), true, nil)
        }
        guard let first = candidates.first, let error = first.error else {
            return (n, false, "length \(n.count): not a credit code, resident ID, registration number or organisation code")
        }
        return (n, false, error.message)
    }
}
