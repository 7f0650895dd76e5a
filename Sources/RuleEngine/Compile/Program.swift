import CreditRegistry

// The evaluable form of a rule set: arrays indexed by small integers, bit masks for value
// sets, no strings compared on the hot path except the few list ids read from the facts.

/// A calendar period added to a day ordinal.
struct CPeriod: Sendable, Hashable {
    var months: Int
    var days: Int
    init(_ p: PeriodLit) {
        switch p.unit {
        case .day: months = 0; days = p.amount
        case .month: months = p.amount; days = 0
        case .year: months = p.amount * 12; days = 0
        }
    }
    func add(to ordinal: Int) -> Int {
        if ordinal <= Interval.negInf || ordinal >= Interval.posInf { return ordinal }
        var d = Day(ordinal: ordinal)
        if months != 0 { d = d.adding(months: months) }
        return d.ordinal + days
    }
    func subtract(from ordinal: Int) -> Int {
        var d = Day(ordinal: ordinal - days)
        if months != 0 { d = d.adding(months: -months) }
        return d.ordinal
    }
}

enum Interval {
    static let negInf = Int.min / 4
    static let posInf = Int.max / 4
}

/// A comparison of texts: `= "x"`, `!= "x"`, `in ["x", "y"]`.
struct CTextTest: Sendable, Hashable {
    var values: [String]
    var negate: Bool
    func matches(_ s: String) -> Bool { values.contains(s) != negate }
    func matchesAny(_ ss: [String]) -> Bool { negate ? !ss.contains(where: values.contains) : ss.contains(where: values.contains) }
}

enum CPenaltyTerm: Sendable, Hashable {
    case type(CTextTest)
    case authority(CTextTest)
    case severity(UInt8)
    case fine(CompareOp, Int64)
}

struct CPenaltyFilter: Sendable, Hashable {
    var terms: [CPenaltyTerm]

    func matches(_ p: PenaltyFact) -> Bool {
        for t in terms {
            switch t {
            case .type(let tt): if !tt.matchesAny(p.types) { return false }
            case .authority(let tt): if !tt.matches(p.authority) { return false }
            case .severity(let mask): if mask & (1 << CMask.severityIndex(p.severity)) == 0 { return false }
            case .fine(let op, let v): if !CMask.compare(p.fineMicroWan, op, v) { return false }
            }
        }
        return true
    }
}

enum CMask {
    static func severityIndex(_ s: PenaltySeverity) -> UInt8 {
        switch s { case .minor: 0; case .general: 1; case .serious: 2 }
    }
    static func gradeIndex(_ g: TaxGrade) -> UInt8 {
        switch g { case .A: 0; case .B: 1; case .M: 2; case .C: 3; case .D: 4 }
    }
    static func kindIndex(_ k: SubjectKind) -> UInt16 {
        UInt16(SubjectKind.allCases.firstIndex(of: k) ?? 0)
    }
    static func statusIndex(_ s: SubjectStatus) -> UInt8 {
        UInt8(SubjectStatus.allCases.firstIndex(of: s) ?? 0)
    }
    static func compare(_ a: Int64, _ op: CompareOp, _ b: Int64) -> Bool {
        switch op {
        case .eq: a == b
        case .ne: a != b
        case .lt: a < b
        case .le: a <= b
        case .gt: a > b
        case .ge: a >= b
        case .in: false
        }
    }
}

indirect enum CCond: Sendable, Hashable {
    case and([CCond])
    case or([CCond])
    case not(CCond)
    case listed(list: Int, grounds: [String]?, atLeast: CPeriod?)
    case penalty(CPenaltyFilter)
    case revokedLicence(CTextTest?)
    case kind(UInt16)
    case status(UInt8)
    case latestGrade(UInt8)
    case gradeOf(year: Int, mask: UInt8)
    case count(CPenaltyFilter, window: CPeriod, op: CompareOp, n: Int64)
    case totalFine(CPenaltyFilter, window: CPeriod, op: CompareOp, micro: Int64)
    case keyPerson(RelationRole, CCond)
    case holds(RelationRole, CCond)
    case verified(VerifiableFact)

    /// True when the condition contains `key_person` (or, when `holds`, a `holds`) anywhere.
    func mentionsRelated(holds: Bool) -> Bool {
        switch self {
        case .and(let parts), .or(let parts): parts.contains { $0.mentionsRelated(holds: holds) }
        case .not(let inner): inner.mentionsRelated(holds: holds)
        case .keyPerson: true
        case .holds(_, let inner): holds || inner.mentionsRelated(holds: holds)
        default: false
        }
    }

    /// The kinds of the subject's facts the condition reads (the subject row aside); the lists
    /// derivations add to are the derivations' business (see ``Program/contributionReads``).
    var reads: Set<FactPresence.Kind> {
        switch self {
        case .and(let parts), .or(let parts): parts.reduce(into: []) { $0.formUnion($1.reads) }
        case .not(let inner): inner.reads
        case .listed: [.listEntries]
        case .penalty, .count, .totalFine: [.penalties]
        case .revokedLicence: [.licences]
        case .status: [.statuses]
        case .latestGrade, .gradeOf: [.taxGrades]
        case .kind, .verified: []
        case .keyPerson: [.keyPersons]
        case .holds: [.roles]
        }
    }

    /// Cheap tests first in a conjunction, so most subjects stop at the first empty result.
    var cost: Int {
        switch self {
        case .kind, .status, .verified: 0
        case .listed: 1
        case .revokedLicence: 2
        case .latestGrade, .gradeOf: 3
        case .penalty: 4
        case .count, .totalFine: 5
        case .keyPerson, .holds: 6
        case .or: 7
        case .and: 7
        case .not: 8
        }
    }
}

enum CDuration: Sendable, Hashable {
    case whileHeld
    case fixed(CPeriod, orUntilExit: Bool)
    case untilRepaired
    /// (minimum, maximum) per severity index (nil = not published).
    case publicity([CPeriod?], [CPeriod?])
}

/// A compiled rule. A class: evaluation reads every rule for every subject, and a reference
/// costs one retain where a copy of the value would retain each of its arrays and strings.
final class CRule: Sendable {
    let id: String
    let memorandum: String
    let isPunishment: Bool
    let despitePunishment: Bool
    let measures: [Int]
    let toSubject: Bool
    let roles: [RelationRole]
    /// Roles whose holders the triggering case itself names (relations recorded by the case's record).
    let named: [RelationRole]
    /// Witnesses starting outside [appliesFrom, appliesBefore) do not trigger the rule.
    let appliesFrom: Int
    let appliesBefore: Int
    let condition: CCond
    let duration: CDuration
    /// Top-level conjuncts with their canonical text, for explanations.
    let conjuncts: [(CCond, String)]
    /// What a subject needs for `condition` to hold at all.
    let gate: Gate

    init(id: String, memorandum: String, isPunishment: Bool, despitePunishment: Bool, measures: [Int], toSubject: Bool,
         roles: [RelationRole], named: [RelationRole], appliesFrom: Int, appliesBefore: Int, condition: CCond,
         duration: CDuration, conjuncts: [(CCond, String)]) {
        self.id = id; self.memorandum = memorandum; self.isPunishment = isPunishment; self.despitePunishment = despitePunishment
        self.measures = measures; self.toSubject = toSubject; self.roles = roles; self.named = named
        self.appliesFrom = appliesFrom; self.appliesBefore = appliesBefore; self.condition = condition
        self.duration = duration; self.conjuncts = conjuncts
        self.gate = Gate(condition)
    }
}

/// A compiled `derive` rule (a class for the reason ``CRule`` is one).
final class CDerive: Sendable {
    let id: String
    let memorandum: String
    let list: Int
    let condition: CCond
    let duration: CDuration
    let appliesFrom: Int
    let appliesBefore: Int
    let conjuncts: [(CCond, String)]
    /// What a subject needs for `condition` to hold at all.
    let gate: Gate

    init(id: String, memorandum: String, list: Int, condition: CCond, duration: CDuration, appliesFrom: Int, appliesBefore: Int,
         conjuncts: [(CCond, String)]) {
        self.id = id; self.memorandum = memorandum; self.list = list; self.condition = condition; self.duration = duration
        self.appliesFrom = appliesFrom; self.appliesBefore = appliesBefore; self.conjuncts = conjuncts
        self.gate = Gate(condition)
    }
}

struct CMeasure: Sendable {
    var info: MeasureInfo
}

/// Everything evaluation needs, immutable after compilation.
final class Program: Sendable {
    let listIDs: [String]
    let listIndex: [String: Int]
    /// Per list: the owner's entries and exits override derived durations.
    let authoritative: [Bool]
    let measures: [MeasureInfo]
    let derives: [CDerive]
    let rules: [CRule]
    let needsRelated: Bool
    /// The inner conditions of every `holds` condition, each once: what an organisation a
    /// subject serves is asked (``RelatedContribution``), by slot.
    let holdsInners: [CCond]
    let holdsSlots: [CCond: Int]
    /// The fact kinds an organisation's ``RelatedContribution`` is computed from.
    let contributionReads: Set<FactPresence.Kind>

    init(listIDs: [String], authoritative: [Bool], measures: [MeasureInfo], derives: [CDerive], rules: [CRule], needsRelated: Bool) {
        self.listIDs = listIDs
        self.authoritative = authoritative
        var idx: [String: Int] = [:]
        for (i, l) in listIDs.enumerated() { idx[l] = i }
        self.listIndex = idx
        self.measures = measures
        self.derives = derives
        self.rules = rules
        self.needsRelated = needsRelated
        var inners: [CCond] = []
        var slots: [CCond: Int] = [:]
        func collect(_ c: CCond) {
            switch c {
            case .and(let parts), .or(let parts): parts.forEach(collect)
            case .not(let inner), .keyPerson(_, let inner): collect(inner)
            case .holds(_, let inner):
                if slots[inner] == nil { slots[inner] = inners.count; inners.append(inner) }
            default: break
            }
        }
        for d in derives { collect(d.condition) }
        for r in rules { collect(r.condition) }
        holdsInners = inners
        holdsSlots = slots
        // An organisation's contribution: its `holds` inner conditions, the rules extending
        // measures to its persons (who are found among its key persons), and, when those read
        // lists, every derivation (derived entries join the lists).
        var reads: Set<FactPresence.Kind> = [.keyPersons]
        for c in inners { reads.formUnion(c.reads) }
        for r in rules where !r.roles.isEmpty || !r.named.isEmpty { reads.formUnion(r.condition.reads) }
        if reads.contains(.listEntries) { for d in derives { reads.formUnion(d.condition.reads) } }
        contributionReads = reads
    }
}
