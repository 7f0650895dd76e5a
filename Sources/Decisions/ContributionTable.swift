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
    /// The roles each person holds in the organisations kept, by the person's code (the key
    /// persons of those organisations, turned around): the only roles evaluation through
    /// contributions reads, so a streamed subject takes them from here instead of reading
    /// every relation row it is the person of (``roles(of:)``). Keyed by a 64-bit hash of the
    /// code: most subjects asked for hold no such role, and a miss then costs a few integer
    /// comparisons instead of string comparisons along the probe sequence.
    private var rolesByPerson: [UInt64: [RelationFact]] = [:]

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
            table.add(rules.contribution(of: f, asOf: asOf), keyPersons: f.keyPersons)
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
            table.add(rules.contribution(of: f, asOf: asOf), keyPersons: f.keyPersons)
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

    /// Keeps `contribution` (when there is one) with the organisation's `keyPersons` (all of them,
    /// as ``FactQueries`` reads them: each is a role of the person it names).
    mutating func add(_ contribution: RelatedContribution?, keyPersons: [RelationFact]) {
        guard let c = contribution, byCode[c.code] == nil else { return }
        byCode[c.code] = c
        for r in keyPersons { rolesByPerson[Self.key(r.to), default: []].append(r) }
    }

    /// Adds the contributions of another range (an organisation already kept stays as it is).
    mutating func merge(_ other: ContributionTable) {
        var added = Set<String>()
        for (code, c) in other.byCode where byCode[code] == nil {
            byCode[code] = c
            added.insert(code)
        }
        guard !added.isEmpty else { return }
        for (key, roles) in other.rolesByPerson {
            for r in roles where added.contains(r.from) { rolesByPerson[key, default: []].append(r) }
        }
    }

    /// The roles `code` holds in the organisations kept, in canonical order: every role
    /// ``serving(_:)`` and the `holds` conditions can use (a role in an organisation that brings
    /// nothing gives no witness and extends no measure).
    func roles(of code: String) -> [RelationFact] {
        guard var roles = rolesByPerson[Self.key(code)] else { return [] }
        // Two codes may share a hash: only the roles naming `code` are its own.
        if !roles.allSatisfy({ $0.to == code }) { roles.removeAll { $0.to != code } }
        if roles.count > 1 { roles.sort(by: RelationFact.roleOrder) }
        return roles
    }

    /// FNV-1a over the code's UTF-8 bytes.
    private static func key(_ code: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in code.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h
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

    /// The fact kinds of each streamed subject read from its tables; through contributions, its
    /// roles come from the table instead (``ContributionTable/roles(of:)``).
    var kinds: Set<FactPresence.Kind> {
        if case .contributions = self { return Set(FactPresence.Kind.allCases).subtracting([.keyPersons, .roles]) }
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
