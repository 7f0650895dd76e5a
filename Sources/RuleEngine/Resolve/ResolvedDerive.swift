import CreditRegistry

/// A `derive` rule with its required clauses (`when`, `add to`) present and its list resolved.
struct ResolvedDerive: Sendable {
    var id: Ident
    var memorandum: String
    var title: String?
    var condition: Condition
    /// The list it adds to: an index into ``Declarations/lists``.
    var list: Int
    var duration: ResolvedDuration
    var unconfirmed: [String]
    var appliesFrom: Day? = nil
    var appliesBefore: Day? = nil
}
