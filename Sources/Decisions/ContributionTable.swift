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

    /// The contributions of every subject: only the candidates read by code when the rules name
    /// their ``CompiledRuleSet/contributionSources``, else every subject streamed.
    static func readAll(_ db: Database, rules: CompiledRuleSet, asOf: Day) throws -> ContributionTable {
        guard let sources = rules.contributionSources else { return try read(db, rules: rules, asOf: asOf) }
        return try read(db, rules: rules, asOf: asOf, codes: try candidates(db, sources: sources))
    }

    /// The contributions of the subjects `codes` (in any order): those among them that may
    /// contribute, read by code with the fact kinds contributions read.
    static func read(_ db: Database, rules: CompiledRuleSet, asOf: Day, codes: some Sequence<String>) throws -> ContributionTable {
        var table = ContributionTable()
        let facts = try SubjectFactsProbe(db: db, asOf: asOf, kinds: rules.contributionReads.subtracting([.keyPersons]))
        let probe = try KeyPersonsProbe(db: db)
        for code in codes {
            guard var f = try facts.facts(of: code), rules.mayContribute(f, asOf: asOf) else { continue }
            f.keyPersons = try probe.keyPersons(of: code)
            table.add(rules.contribution(of: f, asOf: asOf))
        }
        return table
    }

    /// The codes of the subjects having a row of any of `sources`, in code order: the only
    /// subjects that may contribute when the rules' ``CompiledRuleSet/contributionSources`` are `sources`.
    static func candidates(_ db: Database, sources: Set<ContributionSource>) throws -> [String] {
        var codes = Set<String>()
        func add(_ sql: String, _ arguments: StatementArguments = []) throws {
            let s = try db.makeStatement(sql: sql)
            try s.setArguments(arguments)
            while try s.step(db) { if let c = s.text(at: 0) { codes.insert(c) } }
        }
        for source in sources {
            switch source {
            case .facts(let kind):
                let (table, column) = switch kind {
                case .statuses: ("status_history", "subject_code")
                case .listEntries: ("list_entry", "subject_code")
                case .taxGrades: ("tax_grade", "subject_code")
                case .penalties: ("penalty", "subject_code")
                case .licences: ("licence", "subject_code")
                case .keyPersons: ("relation", "from_code")
                case .roles: ("relation", "to_code")
                }
                try add("SELECT DISTINCT \(column) FROM \(table)")
            case .list(let id):
                try add("SELECT subject_code FROM list_entry WHERE list = ?", [id])
            case .status(let statuses):
                let marks = Array(repeating: "?", count: statuses.count).joined(separator: ", ")
                let values = StatementArguments(statuses.map(\.rawValue))
                try add("SELECT subject_code FROM status_history WHERE status IN (\(marks))", values)
                try add("SELECT code FROM subject WHERE status IN (\(marks))", values)
            }
        }
        return codes.sorted()
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
