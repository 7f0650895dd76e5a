import CreditRegistry

/// Whether a measure punishes dishonesty or rewards trustworthiness.
public enum DecisionKind: String, Sendable, Hashable, Codable, CaseIterable {
    case punishment, incentive
}

/// Category of a measure under 国发〔2016〕33号.
public enum MeasureCategory: String, Sendable, Hashable, Codable, CaseIterable {
    case administrative, market, sector, social
}

/// An implementing department, by id and name.
public struct DepartmentRef: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public init(id: String, name: String) { self.id = id; self.name = name }
}

/// How a measure reached a person: through an organisation in which the person held a role
/// on the date of the case.
public struct Via: Sendable, Hashable, Codable, Comparable {
    public var organisation: String
    public var role: RelationRole
    public init(organisation: String, role: RelationRole) { self.organisation = organisation; self.role = role }
    public static func < (a: Via, b: Via) -> Bool { (a.organisation, a.role.rawValue) < (b.organisation, b.role.rawValue) }
}

/// One reason a measure applies: a rule that fired on some records, possibly through an organisation.
public struct Cause: Sendable, Hashable, Codable, Comparable {
    public var ruleID: String
    public var memorandum: String
    public var from: Day
    public var until: Day?
    public var records: [Int64]
    public var via: Via?
    /// Facts (``VerifiableFact`` raw values) nobody has supplied yet on which this cause rests.
    public var toVerify: [String]

    public init(ruleID: String, memorandum: String, from: Day, until: Day?, records: [Int64], via: Via?, toVerify: [String] = []) {
        self.ruleID = ruleID; self.memorandum = memorandum; self.from = from; self.until = until; self.records = records; self.via = via
        self.toVerify = toVerify
    }

    /// Direct causes first, then by start, rule id, organisation.
    public static func < (a: Cause, b: Cause) -> Bool {
        if (a.via == nil) != (b.via == nil) { return a.via == nil }
        if a.from != b.from { return a.from < b.from }
        if a.ruleID != b.ruleID { return a.ruleID < b.ruleID }
        if a.via != b.via { return (a.via?.organisation ?? "", a.via?.role.rawValue ?? "") < (b.via?.organisation ?? "", b.via?.role.rawValue ?? "") }
        if a.records != b.records { return a.records.lexicographicallyPrecedes(b.records) }
        return (a.until?.ordinal ?? Int.max) < (b.until?.ordinal ?? Int.max)
    }
}

/// A measure in force for one subject on the evaluation date.
///
/// When several rules (or routes through organisations) give the same measure to the same
/// subject, they are merged into one decision: all causes are kept in ``causes``, `from` is the
/// earliest, `until` the latest (nil, open-ended, wins), `causedBy` the union of records, and
/// the rule, memorandum and `via` are those of the first cause (direct before extended, then
/// earliest, then by rule id).
public struct Decision: Sendable, Hashable, Codable {
    /// Code of the subject the measure applies to (a person's code for extended measures).
    public var subject: String
    public var measureID: String
    public var measureText: String
    public var kind: DecisionKind
    public var category: MeasureCategory
    public var department: DepartmentRef
    public var legalBasis: String
    /// Document number of the memorandum of the first cause.
    public var memorandum: String
    public var ruleID: String
    public var from: Day
    /// Exclusive end; nil when open-ended (until an exit record, repair …).
    public var until: Day?
    /// Source records (list entries, penalties, grades, relations) behind every cause, sorted.
    public var causedBy: [Int64]
    /// Set when the measure reaches a person through an organisation.
    public var via: Via?
    /// The measure concerns financial institutions (loans, bonds, insurance, capital).
    public var financial: Bool
    public var causes: [Cause]
    /// Departments that cooperate with the lead ``department``, as they exist today.
    public var cooperating: [DepartmentRef]
    /// Facts the registry cannot see that every cause rests on: the measure applies only once
    /// they are verified (empty when some cause needs nothing verified).
    public var toVerify: [String]

    public init(subject: String, measureID: String, measureText: String, kind: DecisionKind, category: MeasureCategory,
                department: DepartmentRef, legalBasis: String, memorandum: String, ruleID: String, from: Day, until: Day?,
                causedBy: [Int64], via: Via?, financial: Bool, causes: [Cause], cooperating: [DepartmentRef] = [], toVerify: [String] = []) {
        self.cooperating = cooperating; self.toVerify = toVerify
        self.subject = subject; self.measureID = measureID; self.measureText = measureText; self.kind = kind
        self.category = category; self.department = department; self.legalBasis = legalBasis; self.memorandum = memorandum
        self.ruleID = ruleID; self.from = from; self.until = until; self.causedBy = causedBy; self.via = via
        self.financial = financial; self.causes = causes
    }

    /// True when in force on `day`.
    public func isInForce(on day: Day) -> Bool { from <= day && (until.map { day < $0 } ?? true) }

    /// The deterministic order of decision lists: subject, punishments before incentives, measure id.
    public static func canonicalOrder(_ a: Decision, _ b: Decision) -> Bool {
        if a.subject != b.subject { return a.subject < b.subject }
        if a.kind != b.kind { return a.kind == .punishment }
        return a.measureID < b.measureID
    }
}
