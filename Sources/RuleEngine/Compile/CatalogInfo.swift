import CreditRegistry

/// A memorandum as declared in its rule file.
public struct MemorandumInfo: Sendable, Hashable, Codable {
    /// Document number, e.g. 发改财金〔2016〕141号.
    public var number: String
    public var title: String
    public var date: Day?
    public var signatories: Int?
    /// Signatory departments by id, when the file names them.
    public var signedBy: [String]
    /// Lists the memorandum targets.
    public var targets: [String]
    /// Document numbers this memorandum revises.
    public var revises: [String]
    /// Facts the research notes could not confirm (shown by `rules list` and explanations).
    public var unconfirmed: [String]
    public var notes: [String]
    /// `file:line:column` of the declaration.
    public var location: String
}

public struct DepartmentInfo: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    /// The day it ceased to exist (exclusive), when it did (e.g. the 2018 reform).
    public var until: Day?
    /// The department that took over its duties.
    public var successor: String?
    /// The department that holds its duties today: itself, or the last of its successors.
    public var current: DepartmentRef
}

public struct ListInfo: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var owner: DepartmentRef?
    /// Filled by a feed (otherwise only by `derive` rules).
    public var fed: Bool
    /// Ids of the derive rules that add subjects to the list.
    public var derivedBy: [String]
    /// The owner's entries and exits override durations the rules derive (extensions, early removals).
    public var authoritative: Bool
}

public struct MeasureInfo: Sendable, Hashable, Codable {
    public var id: String
    public var text: String
    /// The lead department as it exists today (the memorandum's department or its successor).
    public var department: DepartmentRef
    /// The lead department as the memorandum names it.
    public var namedDepartment: DepartmentRef
    /// Cooperating departments, as they exist today.
    public var cooperating: [DepartmentRef]
    /// The item number in the memorandum, e.g. （二）.
    public var item: String?
    /// The national basic list measure it implements, when declared.
    public var basic: String?
    public var legalBasis: String
    public var category: MeasureCategory
    /// Concerns financial institutions (loans, bonds, insurance, capital); banks' batch checks highlight it.
    public var financial: Bool
    public var memorandum: String
    public var unconfirmed: [String]
    public var location: String
}

/// What a rule does, in words, for listings and explanations.
public struct RuleInfo: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable { case punishment, incentive, derivation }
    public var id: String
    public var kind: Kind
    public var title: String?
    public var memorandum: String
    public var condition: String
    public var measures: [String]
    /// `subject` and/or roles (legal_representative …) the measures reach.
    public var targets: [String]
    /// For derivations: the list the rule adds subjects to.
    public var addsToList: String?
    public var duration: String
    /// Facts that trigger on or after this day only (`applies_from`, or the date of a revising memorandum).
    public var appliesFrom: Day?
    /// Facts that trigger before this day only (`applies_before`, or the date of the memorandum that revises this one).
    public var appliesBefore: Day?
    public var despitePunishment: Bool
    public var unconfirmed: [String]
    public var location: String
}
