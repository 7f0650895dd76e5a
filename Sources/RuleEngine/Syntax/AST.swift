import CreditRegistry

// The syntax tree of one rule file. Every node keeps its `SourceRange`; comments are attached
// to the item, clause or fact they precede (`leading`) or end the line of (`trailing`), so the
// formatter can print them back.

struct Comment: Sendable, Hashable {
    var text: String
    var range: SourceRange
}

/// Comments attached to a node.
struct Trivia: Sendable, Hashable {
    /// Comments above an item separated from it by a blank line (a file header, a section title).
    var detached: [Comment] = []
    var leading: [Comment] = []
    var trailing: Comment? = nil
}

struct Ident: Sendable, Hashable {
    var name: String
    var range: SourceRange
}

struct StringLit: Sendable, Hashable {
    var value: String
    var range: SourceRange
}

struct NumberLit: Sendable, Hashable {
    var text: String
    var range: SourceRange
    var intValue: Int? { Int(text) }
    /// Value in micro-units (6 decimals), exact: "12.5" → 12_500_000.
    var micro: Int64? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard let whole = Int64(parts[0]) else { return nil }
        var frac: Int64 = 0
        if parts.count == 2 {
            let f = String(parts[1].prefix(6))
            guard let v = Int64(f) else { return nil }
            frac = v
            for _ in f.count..<6 { frac *= 10 }
        }
        let (m, o) = whole.multipliedReportingOverflow(by: 1_000_000)
        return o ? nil : m + frac
    }
}

struct DateLit: Sendable, Hashable {
    var text: String
    var range: SourceRange
    var day: Day? { try? Day(text) }
}

enum PeriodUnit: String, Sendable, Hashable {
    case day, month, year
}

/// `3 years`, `6 months`, `90 days`.
struct PeriodLit: Sendable, Hashable {
    var amount: Int
    var unit: PeriodUnit
    var range: SourceRange
    var text: String { "\(amount) \(unit.rawValue)\(amount == 1 ? "" : "s")" }
}

/// A literal on the right of a comparison, a ground, or an argument of a fact.
indirect enum Value: Sendable, Hashable {
    case ident(Ident)
    case string(StringLit)
    case number(NumberLit)
    case date(DateLit)
    case list([Value], SourceRange)

    var range: SourceRange {
        switch self {
        case .ident(let x): x.range
        case .string(let x): x.range
        case .number(let x): x.range
        case .date(let x): x.range
        case .list(_, let r): r
        }
    }
}

enum CompareOp: String, Sendable, Hashable {
    case eq = "=", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">=", `in` = "in"
}

/// `field op value` inside `penalty(…)` / `revoked_licence(…)`.
struct FilterTerm: Sendable, Hashable {
    var field: Ident
    var op: CompareOp
    var opRange: SourceRange
    var value: Value
    var range: SourceRange
}

/// The left side of a comparison.
enum Operand: Sendable, Hashable {
    /// `kind`, `status`, `latest_grade`, or an unknown name (reported by the checker).
    case field(Ident)
    /// `grade(2019)`
    case gradeOf(Ident, NumberLit)
    /// `count(penalty(…) within 2 years)` or `total_fine(penalty(…) within 1 year)`
    case aggregate(Ident, filter: [FilterTerm], within: PeriodLit)

    var range: SourceRange {
        switch self {
        case .field(let f): f.range
        case .gradeOf(let f, let n): f.range.union(n.range)
        case .aggregate(let f, _, let w): f.range.union(w.range)
        }
    }
}

indirect enum Condition: Sendable, Hashable {
    case and([Condition])
    case or([Condition])
    case not(Condition, SourceRange)
    /// `listed LIST [ground …] [at least PERIOD]`
    case listed(list: Ident, grounds: Value?, atLeast: PeriodLit?, range: SourceRange)
    /// `penalty(filter)` — each matching penalty is a triggering fact.
    case penalty(keyword: Ident, filter: [FilterTerm], range: SourceRange)
    /// `revoked_licence(filter)`
    case revokedLicence(keyword: Ident, filter: [FilterTerm], range: SourceRange)
    /// `operand op value`
    case compare(Operand, CompareOp, opRange: SourceRange, Value, range: SourceRange)
    /// `key_person ROLE (condition)` — the subject has a holder of ROLE for whom the inner condition holds.
    case keyPerson(role: Ident, inner: Condition, range: SourceRange)
    /// `holds ROLE (condition)` — the subject holds ROLE in an organisation for which the inner condition holds.
    case holds(role: Ident, inner: Condition, range: SourceRange)
    /// `verified FACT` — a fact the registry cannot see (unpaid tax, a criminal sentence, …) that a
    /// feed or an officer supplies; while nobody has, the condition holds "to verify".
    case verified(keyword: Ident, fact: Ident, range: SourceRange)

    var range: SourceRange {
        switch self {
        case .and(let cs), .or(let cs): return cs.first!.range.union(cs.last!.range)
        case .not(_, let r): return r
        case .listed(_, _, _, let r), .penalty(_, _, let r), .revokedLicence(_, _, let r),
             .compare(_, _, _, _, let r), .keyPerson(_, _, let r), .holds(_, _, let r), .verified(_, _, let r): return r
        }
    }
}

/// How long a rule's measures last, counted from the triggering fact.
enum DurationSpec: Sendable, Hashable {
    /// `while held`: as long as the condition holds.
    case whileHeld
    /// `until exit`: until the exit record (same meaning as `while held`).
    case untilExit
    /// `for 3 years` (fixed), or `for 2 years or until exit` (whichever comes first).
    case fixed(PeriodLit, orUntilExit: Bool)
    /// `until repaired`: until the penalty is repaired (or revoked).
    case untilRepaired
    /// `for publicity general 3 months to 1 year, serious 1 year to 3 years`
    case publicity([PublicityBand])
}

struct PublicityBand: Sendable, Hashable {
    var severity: Ident
    var minimum: PeriodLit
    var maximum: PeriodLit
}

/// One line of a subject's facts in a test: `listed major_tax_violation from 2020-03-01 record 11`.
struct FactLine: Sendable, Hashable {
    var trivia: Trivia
    var head: Ident
    var argument: Value
    var options: [FactOption]
    var range: SourceRange
}

struct FactOption: Sendable, Hashable {
    var key: Ident
    var values: [Value]
}

/// `subject acme "9135…" enterprise "厦门某某有限公司" { facts }`
struct SubjectDecl: Sendable, Hashable {
    var alias: Ident
    var code: StringLit
    var kind: Ident
    var name: StringLit?
    var facts: [FactLine]
    var hasBlock: Bool
    var openTrailing: Comment?
    var closing: [Comment]
}

/// `expect acme on 2020-06-01 has exit_ban, grade_d via corp from 2020-03-01 until open`
struct Expectation: Sendable, Hashable {
    var subject: Ident
    var day: DateLit
    var positive: Bool
    var measures: [Ident]
    var via: Ident?
    var from: DateLit?
    var until: Value?
    /// `to verify` (true) or `confirmed` (false): whether the decision still rests on unverified facts.
    var toVerify: Bool? = nil
    /// `under "发改财金〔2016〕2798号"`: every cause of the decision comes from this memorandum.
    var under: StringLit? = nil
}

enum ClauseKind: Sendable, Hashable {
    /// title, text, basis, revises, unconfirmed, note
    case text(Ident, StringLit)
    /// date
    case date(Ident, DateLit)
    /// signatories
    case number(Ident, NumberLit)
    /// signed_by, targets, apply, to, department, category
    case idents(Ident, [Ident])
    /// financial, `despite punishment`
    case flag(Ident)
    /// `punish when C`, `reward when C`, `when C`
    case condition(Ident, Condition)
    /// `add to LIST`
    case addTo(Ident, Ident)
    /// for / while / until
    case duration(Ident, DurationSpec)
    case subject(Ident, SubjectDecl)
    case expect(Ident, Expectation)

    var keyword: Ident {
        switch self {
        case .text(let k, _), .date(let k, _), .number(let k, _), .idents(let k, _), .flag(let k),
             .condition(let k, _), .addTo(let k, _), .duration(let k, _), .subject(let k, _), .expect(let k, _): k
        }
    }
}

struct Clause: Sendable, Hashable {
    var trivia: Trivia
    var kind: ClauseKind
    var range: SourceRange
}

enum BlockKind: String, Sendable, Hashable {
    case memorandum, measure, rule, derive, test
}

/// `memorandum "…" { … }`, `measure id { … }`, `rule id { … }`, `derive id { … }`, `test "…" { … }`
struct Block: Sendable, Hashable {
    var kind: BlockKind
    var keyword: Ident
    var name: Value
    var openTrailing: Comment?
    var clauses: [Clause]
    var closing: [Comment]

    var nameText: String {
        switch name {
        case .ident(let i): i.name
        case .string(let s): s.value
        default: ""
        }
    }

    func clauses(_ keyword: String) -> [Clause] { clauses.filter { $0.kind.keyword.name == keyword } }
    func first(_ keyword: String) -> Clause? { clauses.first { $0.kind.keyword.name == keyword } }
}

enum ItemKind: Sendable, Hashable {
    /// `department saic "国家工商行政管理总局" until 2018-04-10 successor samr`
    case department(id: Ident, name: StringLit, until: DateLit?, successor: Ident?)
    /// `list dishonest_debtor "失信被执行人名单" owner spc fed authoritative`
    case list(id: Ident, name: StringLit, owner: Ident?, fed: Bool, authoritative: Bool)
    /// `basic b2_07 "限制参与政府采购" item "2-7"`: a measure of the national basic list of
    /// dishonesty punishment measures, against which punitive measures are checked.
    case basic(id: Ident, name: StringLit, item: StringLit?)
    case block(Block)
}

struct Item: Sendable, Hashable {
    var trivia: Trivia
    var kind: ItemKind
    var range: SourceRange
}

/// A parsed rule file.
struct FileAST: Sendable, Hashable {
    var path: String
    var items: [Item]
    /// Comments after the last item.
    var trailing: [Comment]

    var blocks: [Block] {
        items.compactMap { if case .block(let b) = $0.kind { b } else { nil } }
    }
}
