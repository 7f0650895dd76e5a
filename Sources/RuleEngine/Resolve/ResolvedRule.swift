import CreditRegistry

/// A `punish` or `reward` rule with its required clauses present and its names resolved.
struct ResolvedRule: Sendable {
    /// Who a rule's measures reach: the subject, or the holders of a role in it.
    enum Target: Sendable, Hashable {
        case subject
        case role(RelationRole)
        /// The persons the triggering case itself names in the role (feed `person` elements).
        case named(RelationRole)

        var name: String {
            switch self {
            case .subject: "subject"
            case .role(let r): r.rawValue
            case .named(let r): "named " + r.rawValue
            }
        }
    }

    var id: Ident
    var memorandum: String
    var title: String?
    var isPunishment: Bool
    var condition: Condition
    /// Indexes into ``Declarations/measures``, in written order.
    var measures: [Int]
    /// As written; `subject` when the rule has no `to` clause.
    var targets: [Target]
    var duration: ResolvedDuration
    var despitePunishment: Bool
    var unconfirmed: [String]
    var appliesFrom: Day? = nil
    var appliesBefore: Day? = nil
}
