import CreditRegistry

/// A checked, compiled set of rule files, ready to evaluate subjects.
///
/// Build one with ``RuleSetLoader``. It is an immutable value, safe to share across tasks.
///
/// ```swift
/// let loaded = RuleSetLoader.load(paths: ["rules"])
/// guard let rules = loaded.ruleSet else { /* print loaded.diagnostics */ }
/// let decisions = rules.evaluate(facts, asOf: try Day("2020-06-01"))
/// ```
public struct CompiledRuleSet: Sendable {
    /// SHA-256 (hex) of the canonical text of all files, independent of file names and order.
    public let version: String
    public let memoranda: [MemorandumInfo]
    public let departments: [DepartmentInfo]
    public let lists: [ListInfo]
    public let measures: [MeasureInfo]
    public let rules: [RuleInfo]
    /// The roles any rule extends measures to: when a subject holding one of them changes, the
    /// organisation's facts matter to that person.
    public let extendsToRoles: Set<RelationRole>
    /// True when some condition reads a related subject's facts (`key_person`, `holds`).
    public let readsRelatedFacts: Bool
    /// True when evaluating a subject may read the facts of its own key persons: a `key_person`
    /// condition, or a `holds` condition in a derivation or in a rule whose measures extend to
    /// persons (evaluated for an organisation on behalf of a person it serves, it looks among
    /// everything read for that person). Otherwise only the organisations a subject serves are
    /// related subjects whose facts evaluation reads.
    public let readsKeyPersonsFacts: Bool
    /// The lists rules read; a feed touching one of them should re-evaluate the subject.
    public var listsRead: Set<String> { Set(program.listIDs) }

    let program: Program
    let tests: [CompiledTest]

    init(version: String, memoranda: [MemorandumInfo], departments: [DepartmentInfo], lists: [ListInfo],
         measures: [MeasureInfo], rules: [RuleInfo], program: Program, tests: [CompiledTest]) {
        self.version = version; self.memoranda = memoranda; self.departments = departments; self.lists = lists
        self.measures = measures; self.rules = rules; self.program = program; self.tests = tests
        var roles: Set<RelationRole> = []
        for r in program.rules { roles.formUnion(r.roles) }
        self.extendsToRoles = roles
        self.readsRelatedFacts = program.needsRelated
        self.readsKeyPersonsFacts = program.rules.contains { $0.condition.mentionsRelated(holds: !$0.roles.isEmpty || !$0.named.isEmpty) }
            || program.derives.contains { $0.condition.mentionsRelated(holds: true) }
    }

    /// Number of in-file tests.
    public var testCount: Int { tests.count }

    public func measure(_ id: String) -> MeasureInfo? { measures.first { $0.id == id } }
    public func memorandum(_ number: String) -> MemorandumInfo? { memoranda.first { $0.number == number } }
}
