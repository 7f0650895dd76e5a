/// `list dishonest_debtor "失信被执行人名单" owner spc fed`, with its owner resolved.
struct ResolvedList: Sendable, Hashable {
    var id: String
    var name: String
    var owner: DepartmentRef?
    /// Filled by a feed: marked `fed`, or one of the lists the feeds report on.
    var fed: Bool
    /// Ids of the derive rules that add to the list, sorted.
    var derivedBy: [String]
    /// The owner's entries and exits override durations the rules derive.
    var authoritative: Bool = false
}
