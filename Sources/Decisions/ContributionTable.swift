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

    /// The contributions of the subjects with key persons whose codes lie in `range`.
    static func read(_ db: Database, rules: CompiledRuleSet, asOf: Day, range: CodeRange = .all) throws -> ContributionTable {
        var table = ContributionTable()
        var stream = try FactsStream(db: db, asOf: asOf, range: range, organisationsOnly: true, kinds: rules.contributionReads)
        while let f = try stream.next() {
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

    /// The contributions of the organisations the subject of `facts` serves.
    func serving(_ facts: SubjectFacts) -> [RelatedContribution] {
        if byCode.isEmpty || facts.roles.isEmpty { return [] }
        var out: [RelatedContribution] = []
        for r in facts.roles where r.from != facts.code {
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
    /// The contributions of the organisations each subject serves.
    case contributions(ContributionTable)

    /// The decisions of the subject of `own` (with `related`, the facts streamed for `.facts`).
    func decisions(_ rules: CompiledRuleSet, _ own: SubjectFacts, related: [SubjectFacts], asOf: Day) -> [Decision] {
        switch self {
        case .none: rules.evaluate(own, asOf: asOf)
        case .facts: rules.decisions(for: own.code, own: own, related: related, asOf: asOf)
        case .contributions(let table): rules.decisions(for: own.code, own: own, contributions: table.serving(own), asOf: asOf)
        }
    }
}
