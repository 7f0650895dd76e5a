import CreditRegistry

/// How long the measures of a rule, or a derived listing, last; typed.
struct ResolvedDuration: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        /// `while held`, `until exit`, or no duration clause.
        case whileHeld
        case fixed(PeriodLit, orUntilExit: Bool)
        case untilRepaired
        /// One band per severity given, in written order.
        case publicity([Band])
    }

    /// `general 3 months to 1 year` of `for publicity …`.
    struct Band: Sendable, Hashable {
        var severity: PenaltySeverity
        var minimum: PeriodLit
        var maximum: PeriodLit
    }

    /// A block without a duration clause lasts `while held`.
    static let whileHeld = ResolvedDuration(kind: .whileHeld, text: "while held")

    var kind: Kind
    /// The clause in canonical form, for listings and explanations.
    var text: String
}
