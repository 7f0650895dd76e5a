import CreditRegistry
import GRDB
import RuleEngine

/// What every organisation brings to the subjects serving it (``RelatedContribution``), read
/// once before a full materialisation whose rules allow it
/// (``CompiledRuleSet/evaluatesThroughContributions``): each organisation's facts are then
/// read and evaluated once, not once for every person serving it. Only organisations that
/// bring something are kept (those on lists, with penalties behind a measure extended to their
/// persons, …): the table holds a small part of the registry.
struct ContributionTable: Sendable {
    private(set) var byCode: [String: RelatedContribution] = [:]

    /// The contributions of the subjects whose codes lie in `range`: their facts of the kinds
    /// contributions read, streamed, and their key persons read by code only for the few that
    /// may contribute.
    static func read(_ db: Database, rules: CompiledRuleSet, asOf: Day, range: CodeRange = .all) throws -> ContributionTable {
        var table = ContributionTable()
        var stream = try FactsStream(db: db, asOf: asOf, range: range, kinds: rules.contributionReads.subtracting([.keyPersons]))
        let probe = try KeyPersonsProbe(db: db)
        while var f = try stream.next() {
            guard rules.mayContribute(f, asOf: asOf) else { continue }
            f.keyPersons = try probe.keyPersons(of: f.code)
            table.add(rules.contribution(of: f, asOf: asOf))
        }
        return table
    }

    /// Keeps `contribution` (when there is one).
    mutating func add(_ contribution: RelatedContribution?) {
        if let c = contribution { byCode[c.code] = c }
    }

    /// Adds the contributions of another range.
    mutating func merge(_ other: ContributionTable) {
        byCode.merge(other.byCode) { a, _ in a }
    }

    /// The contributions of the organisations the subject of `facts` serves (itself among them
    /// when it is its own key person).
    func serving(_ facts: SubjectFacts) -> [RelatedContribution] {
        if byCode.isEmpty || facts.roles.isEmpty { return [] }
        var out: [RelatedContribution] = []
        for r in facts.roles {
            guard let c = byCode[r.from], !out.contains(where: { $0.code == c.code }) else { continue }
            out.append(c)
        }
        return out
    }
}

/// How a full materialisation gives each streamed subject the related subjects its rules read.
enum RelatedReading: Sendable {
    /// The rules read no related subject.
    case none
    /// The related subjects' facts, streamed beside each subject's own (``RelatedFactsStream``).
    case facts(keyPersons: Bool, presence: FactPresence?)
    /// The contributions of the organisations each subject serves (its own key persons are not read).
    case contributions(ContributionTable)

    /// The fact kinds of each streamed subject its evaluation reads.
    var kinds: Set<FactPresence.Kind> {
        if case .contributions = self { return Set(FactPresence.Kind.allCases).subtracting([.keyPersons]) }
        return Set(FactPresence.Kind.allCases)
    }

    /// The decisions of the subject of `own` (with `related`, the facts streamed for `.facts`).
    func decisions(_ rules: CompiledRuleSet, _ own: SubjectFacts, related: [SubjectFacts], asOf: Day) -> [Decision] {
        switch self {
        case .none: rules.evaluate(own, asOf: asOf)
        case .facts: rules.decisions(for: own.code, own: own, related: related, asOf: asOf)
        case .contributions(let table): rules.decisions(for: own.code, own: own, contributions: table.serving(own), asOf: asOf)
        }
    }
}
