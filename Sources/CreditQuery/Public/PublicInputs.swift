import CreditRegistry

/// The stored facts of one subject that the public definition reads, whole history, as the
/// store holds them. ``PublicRecordReader`` fills it for one subject (the query) and
/// ``PublicInputsStream`` for every subject in code order (the publication), from the same
/// columns, so both hand ``PublicDefinition`` the same input.
public struct PublicInputs: Sendable, Hashable {
    public var subject: Subject
    /// Status changes, oldest first.
    public var statusHistory: [(since: Day, status: SubjectStatus)]
    public var penalties: [Keyed<PenaltyFact>]
    public var licences: [Keyed<LicenceFact>]
    public var lists: [Keyed<ListEntryFact>]

    /// A fact with its stable key, its source and (for lists) the authority that listed.
    public struct Keyed<Fact: Sendable & Hashable>: Sendable, Hashable {
        public var key: String
        public var fact: Fact
        public var source: PublicSource
        public var authority: String?
    }

    public static func == (a: PublicInputs, b: PublicInputs) -> Bool {
        a.subject == b.subject && a.statusHistory.map(\.since) == b.statusHistory.map(\.since)
            && a.statusHistory.map(\.status) == b.statusHistory.map(\.status)
            && a.penalties == b.penalties && a.licences == b.licences && a.lists == b.lists
    }

    public func hash(into h: inout Hasher) { h.combine(subject); h.combine(penalties); h.combine(licences); h.combine(lists) }
}
