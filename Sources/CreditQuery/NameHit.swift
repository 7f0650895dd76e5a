import CreditRegistry
import Decisions
/// One subject found by ``NameSearch``.
public struct NameHit: Sendable, Hashable, Codable {
    /// How the query matched the name, best first.
    public enum Match: String, Sendable, Hashable, Codable, Comparable {
        case exact, prefix, substring
        var order: Int { switch self { case .exact: 0; case .prefix: 1; case .substring: 2 } }
        public static func < (a: Match, b: Match) -> Bool { a.order < b.order }
    }

    /// Registry code (masked for natural persons unless unmasked).
    public var code: String
    public var kind: SubjectKind
    /// The subject's current name.
    public var name: String
    /// The name that matched: the current name, or a former one.
    public var matchedName: String
    /// True when ``matchedName`` is a former name.
    public var former: Bool
    public var match: Match
    public var status: SubjectStatus
    /// True when any measure is in force for the subject (an entry in the `decision` table).
    public var hasMeasures: Bool
}
