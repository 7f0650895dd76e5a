import CreditRegistry

/// What a subject must have for a condition to hold at all, worked out once at compilation:
/// the kinds of facts it needs (one of each), the kinds and statuses it may have, the lists it
/// must be on. A subject that fails a rule's gate gets no witness from its condition, so the
/// evaluator skips the rule without walking the condition; a gate never rejects a subject the
/// condition would accept (`and` needs what any part needs, `or` only what every part needs,
/// `not` nothing).
struct Gate: Sendable {
    /// Kinds of facts needed, bits of ``Gate/penalties`` … ``Gate/roles``.
    var needs: UInt8 = 0
    /// Subject kinds allowed (bit `CMask.kindIndex`).
    var kinds: UInt16 = .max
    /// Subject statuses allowed (bit `CMask.statusIndex`).
    var statuses: UInt8 = .max
    /// Lists (indices) the subject must be on, derived entries included.
    var lists: [Int] = []

    static let penalties: UInt8 = 1 << 0
    static let licences: UInt8 = 1 << 1
    static let grades: UInt8 = 1 << 2
    static let keyPersons: UInt8 = 1 << 3
    static let roles: UInt8 = 1 << 4

    /// The gate that lets every subject through.
    static let open = Gate()

    /// The facts a subject has, as the bits ``needs`` tests.
    static func present(_ f: SubjectFacts) -> UInt8 {
        var bits: UInt8 = 0
        if !f.penalties.isEmpty { bits |= penalties }
        if !f.licences.isEmpty { bits |= licences }
        if !f.taxGrades.isEmpty { bits |= grades }
        if !f.keyPersons.isEmpty { bits |= keyPersons }
        if !f.roles.isEmpty { bits |= roles }
        return bits
    }

    init() {}

    init(_ c: CCond) {
        switch c {
        case .and(let parts):
            for p in parts { self = self.and(Gate(p)) }
        case .or(let parts):
            guard let first = parts.first else { return }
            self = parts.dropFirst().reduce(Gate(first)) { $0.or(Gate($1)) }
        case .not, .verified:
            break
        case .listed(let list, _, _):
            lists = [list]
        case .penalty:
            needs = Gate.penalties
        case .revokedLicence:
            needs = Gate.licences
        case .kind(let mask):
            kinds = mask
        case .status(let mask):
            statuses = mask
        case .latestGrade, .gradeOf:
            needs = Gate.grades
        case .count(_, _, let op, let n):
            // No penalty counts zero: needed unless zero already compares true.
            if !CMask.compare(0, op, n) { needs = Gate.penalties }
        case .totalFine(_, _, let op, let micro):
            if !CMask.compare(0, op, micro) { needs = Gate.penalties }
        case .keyPerson:
            needs = Gate.keyPersons
        case .holds:
            needs = Gate.roles
        }
    }

    func and(_ o: Gate) -> Gate {
        var g = Gate()
        g.needs = needs | o.needs
        g.kinds = kinds & o.kinds
        g.statuses = statuses & o.statuses
        g.lists = lists + o.lists.filter { !lists.contains($0) }
        return g
    }

    func or(_ o: Gate) -> Gate {
        var g = Gate()
        g.needs = needs & o.needs
        g.kinds = kinds | o.kinds
        g.statuses = statuses | o.statuses
        g.lists = lists.filter { o.lists.contains($0) }
        return g
    }
}
