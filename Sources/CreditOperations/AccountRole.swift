/// The roles of the service (DESIGN.md §6) and what each may do and see; the service, the CLI
/// and the officers' page all ask these, so they agree. `docs/roles.md` lists them.
public enum AccountRole: String, Sendable, Hashable, Codable, CaseIterable {
    /// An enforcement officer of a department: looks subjects up, may unmask ID numbers.
    case officer
    /// A bank: batch-checks counterparties; sees verdicts, public lists and financial measures.
    case bank
    /// A rule operator: rules status, name search.
    case `operator`
    /// A platform administrator: everything.
    case administrator
    /// An auditor: looks up and reads what was done, may unmask ID numbers.
    case auditor

    /// Reports and measures look-ups of one subject.
    public var mayLookUp: Bool { self == .officer || self == .administrator || self == .auditor }
    /// Name search.
    public var maySearch: Bool { self != .bank }
    /// Batch checks of counterparties.
    public var mayCheck: Bool { self == .bank || self == .administrator }
    /// Resident ID numbers in full, when asked for (`unmask`), each time audited.
    public var maySeePersonalIDs: Bool { self == .officer || self == .administrator || self == .auditor }
    /// A person's measures that do not concern financial institutions, and the registered name
    /// of a person (banks get neither).
    public var maySeePersonalMeasures: Bool { self != .bank }
    /// Department feedback on measures (the officer's own department only).
    public var mayGiveFeedback: Bool { self == .officer }
    /// Choose the department a report is ordered for (`?department=`); an officer's is their account's.
    public var mayChooseDepartment: Bool { self == .administrator || self == .auditor }
    /// The service's metrics (`GET /metrics`): counts and latencies, nothing about a subject.
    public var mayReadMetrics: Bool { self == .administrator || self == .operator }
}
