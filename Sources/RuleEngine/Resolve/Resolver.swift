import CreditRegistry

/// Turns the checker's ``SymbolTable`` into typed ``Declarations``: the resolve pass.
///
/// A required clause that is missing is reported here (`check.missingClause`,
/// `check.missingBasis`), at the block's keyword, as is a number in a test fact that does not
/// fit (`check.invalidNumber`). A declaration whose names or values do not
/// resolve (an unknown department, list, measure, role or value, an invalid date) is left out:
/// the checker reports the cause. So that nothing is ever left out silently, each such case is
/// also recorded in ``unresolved`` (`check.unresolved`); the checker keeps those only when it
/// found no other error.
struct Resolver {
    private let symbols: SymbolTable
    /// Missing required clauses and invalid values only the resolver sees.
    private(set) var diagnostics: [Diagnostic] = []
    /// Declarations left out because a name or value did not resolve.
    private(set) var unresolved: [Diagnostic] = []

    private init(symbols: SymbolTable) { self.symbols = symbols }

    static func resolve(_ symbols: SymbolTable) -> (declarations: Declarations, diagnostics: [Diagnostic], unresolved: [Diagnostic]) {
        var r = Resolver(symbols: symbols)
        let declarations = r.declarations()
        return (declarations, r.diagnostics, r.unresolved)
    }

    private mutating func declarations() -> Declarations {
        var d = Declarations()
        d.departments = symbols.departments.values.sorted { $0.id.name < $1.id.name }
        d.lists = symbols.lists.keys.sorted().compactMap { symbols.lists[$0].flatMap { list($0) } }
        d.memoranda = Resolver.firstOfEach(symbols.memoranda.compactMap { memorandum($0) }, by: \.number.name)
        d.measures = Resolver.firstOfEach(symbols.measures.compactMap { measure($0) }, by: \.id.name)
        let measureIndex = Resolver.index(d.measures.map(\.id.name))
        let listIndex = Resolver.index(d.lists.map(\.id))
        d.rules = symbols.rules.compactMap { rule($0, measureIndex: measureIndex) }.sorted { $0.id.name < $1.id.name }
        d.derives = symbols.derives.compactMap { derive($0, listIndex: listIndex) }.sorted { $0.id.name < $1.id.name }
        d.tests = symbols.tests.compactMap { test($0) }
        return d
    }

    /// The first element for each key, sorted by key.
    private static func firstOfEach<T>(_ xs: [T], by key: (T) -> String) -> [T] {
        var seen: Set<String> = []
        return xs.filter { seen.insert(key($0)).inserted }.sorted { key($0) < key($1) }
    }

    private static func index(_ ids: [String]) -> [String: Int] {
        Dictionary(ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    // MARK: reporting

    /// The clause's value, or nil with `check.missingClause` (or `code`) at the block's keyword.
    mutating func require<T>(_ value: T?, _ keyword: Ident, _ message: String, hint: String?, code: String = "check.missingClause") -> T? {
        if value == nil { diagnostics.append(Diagnostic(code, at: keyword.range, message, hint: hint)) }
        return value
    }

    /// Reports a value only the resolver checks (a record id or an amount out of range).
    mutating func invalid<T>(_ code: String, _ range: SourceRange, _ message: String) -> T? {
        diagnostics.append(Diagnostic(code, at: range, message))
        return nil
    }

    /// Records that a declaration is left out because of the name or value at `range`.
    mutating func unresolved<T>(_ range: SourceRange, _ message: String) -> T? {
        unresolved.append(Diagnostic("check.unresolved", at: range, message))
        return nil
    }

    mutating func memorandum(ofFile file: String, at id: Ident) -> String? {
        if let m = symbols.memorandumOfFile[file] { return m }
        return unresolved(id.range, "'\(id.name)' is in a file without a memorandum")
    }

    mutating func day(_ d: DateLit) -> Day? {
        if let day = d.day { return day }
        return unresolved(d.range, "'\(d.text)' is not a calendar date")
    }

    // MARK: declarations

    private mutating func list(_ l: SymbolTable.ListSymbol) -> ResolvedList? {
        var owner: DepartmentRef?
        if let o = l.owner {
            guard let d = symbols.departments[o.name] else { return unresolved(o.range, "unknown department '\(o.name)'") }
            owner = d.ref
        }
        return ResolvedList(id: l.id.name, name: l.name, owner: owner, fed: l.fed, derivedBy: (symbols.derivedBy[l.id.name] ?? []).sorted(),
                            authoritative: l.authoritative)
    }

    private mutating func memorandum(_ m: MemorandumClauses) -> ResolvedMemorandum? {
        let title = require(m.title, m.keyword, "memorandum '\(m.number.name)' has no title", hint: "add 'title \"…\"'")
        let date = require(m.date, m.keyword, "memorandum '\(m.number.name)' has no date",
                           hint: "add 'date yyyy-mm-dd' (and 'unconfirmed \"…\"' if the date is not confirmed)")
        guard let title, let date, let day = day(date) else { return nil }
        var signatories: Int?
        if let n = m.signatories.first {
            guard let count = n.intValue, count > 0 else { return unresolved(n.range, "signatories must be a positive whole number") }
            signatories = count
        }
        return ResolvedMemorandum(number: m.number, title: title.value, date: day, signatories: signatories,
                                  signedBy: m.signedBy.map(\.name), targets: m.targets.map(\.name), revises: m.revises.map(\.value),
                                  unconfirmed: m.unconfirmed.map(\.value), notes: m.notes.map(\.value))
    }

    private mutating func measure(_ m: MeasureClauses) -> ResolvedMeasure? {
        let what = "measure '\(m.id.name)'"
        let text = require(m.text, m.keyword, "\(what) has no text", hint: "add 'text \"…\"' with the measure as the memorandum words it")
        let dept = require(m.departments.first, m.keyword, "\(what) has no implementing department", hint: "add 'department <id>'")
        let basis = require(m.basis, m.keyword, "\(what) has no legal basis",
                            hint: "add 'basis \"…\"'; when the memorandum gives none, cite the memorandum itself and mark it 'unconfirmed'",
                            code: "check.missingBasis")
        let cat = require(m.categories.first, m.keyword, "\(what) has no category",
                          hint: "add 'category administrative|market|sector|social' (国发〔2016〕33号)")
        guard let text, let dept, let basis, let cat, let memo = memorandum(ofFile: m.file, at: m.id) else { return nil }
        guard let department = symbols.departments[dept.name] else { return unresolved(dept.range, "unknown department '\(dept.name)'") }
        guard let category = MeasureCategory(rawValue: cat.name) else { return unresolved(cat.range, "unknown category '\(cat.name)'") }
        var cooperating: [DepartmentRef] = []
        for c in m.cooperating {
            guard let d = symbols.departments[c.name] else { return unresolved(c.range, "unknown department '\(c.name)'") }
            cooperating.append(d.ref)
        }
        var basic: String?
        if let b = m.basic.first {
            guard let entry = symbols.basics[b.name] else { return unresolved(b.range, "unknown basic-list measure '\(b.name)'") }
            basic = entry.item.map { "\(entry.id.name)（\($0)）\(entry.name)" } ?? "\(entry.id.name) \(entry.name)"
        }
        return ResolvedMeasure(id: m.id, memorandum: memo, text: text.value, department: department.ref, basis: basis.value,
                               category: category, financial: m.financial, unconfirmed: m.unconfirmed.map(\.value),
                               item: m.item?.value, cooperating: cooperating, basic: basic)
    }

    private mutating func rule(_ r: RuleClauses, measureIndex: [String: Int]) -> ResolvedRule? {
        let effect = require(r.effect, r.keyword, "rule '\(r.id.name)' has no 'punish when …' or 'reward when …'", hint: nil)
        let apply = require(r.apply, r.keyword, "rule '\(r.id.name)' applies no measure", hint: "add 'apply <measure>, …'")
        guard let effect, let apply, let memo = memorandum(ofFile: r.file, at: r.id) else { return nil }
        var measures: [Int] = []
        for m in apply {
            guard let i = measureIndex[m.name] else { return unresolved(m.range, "unknown measure '\(m.name)'") }
            measures.append(i)
        }
        var targets: [ResolvedRule.Target] = []
        for t in r.to ?? [] {
            if t.name == "subject" {
                targets.append(.subject)
            } else if t.name.hasPrefix("named "), let role = RelationRole(rawValue: String(t.name.dropFirst(6))) {
                targets.append(.named(role))
            } else if let role = RelationRole(rawValue: t.name) {
                targets.append(.role(role))
            } else {
                return unresolved(t.range, "unknown role '\(t.name)'")
            }
        }
        guard let duration = duration(r.duration) else { return nil }
        let from = r.appliesFrom.flatMap { day($0) }, before = r.appliesBefore.flatMap { day($0) }
        return ResolvedRule(id: r.id, memorandum: memo, title: r.title?.value, isPunishment: effect.isPunishment,
                            condition: effect.condition, measures: measures, targets: targets.isEmpty ? [.subject] : targets,
                            duration: duration, despitePunishment: r.despite != nil, unconfirmed: r.unconfirmed.map(\.value),
                            appliesFrom: from, appliesBefore: before)
    }

    private mutating func derive(_ d: DeriveClauses, listIndex: [String: Int]) -> ResolvedDerive? {
        let when = require(d.when, d.keyword, "derive '\(d.id.name)' has no 'when …'", hint: nil)
        let addTo = require(d.addTo, d.keyword, "derive '\(d.id.name)' has no 'add to <list>'", hint: nil)
        guard let when, let addTo, let memo = memorandum(ofFile: d.file, at: d.id) else { return nil }
        guard let list = listIndex[addTo.name] else { return unresolved(addTo.range, "unknown list '\(addTo.name)'") }
        guard let duration = duration(d.duration) else { return nil }
        return ResolvedDerive(id: d.id, memorandum: memo, title: d.title?.value, condition: when, list: list, duration: duration,
                              unconfirmed: d.unconfirmed.map(\.value), appliesFrom: d.appliesFrom.flatMap { day($0) },
                              appliesBefore: d.appliesBefore.flatMap { day($0) })
    }

    private mutating func duration(_ d: DurationClause?) -> ResolvedDuration? {
        guard let d else { return .whileHeld }
        let kind: ResolvedDuration.Kind
        switch d.spec {
        case .whileHeld, .untilExit: kind = .whileHeld
        case .untilRepaired: kind = .untilRepaired
        case .fixed(let p, let exit): kind = .fixed(p, orUntilExit: exit)
        case .publicity(let bands):
            var typed: [ResolvedDuration.Band] = []
            for b in bands {
                guard let s = PenaltySeverity(rawValue: b.severity.name) else {
                    return unresolved(b.severity.range, "unknown penalty severity '\(b.severity.name)'")
                }
                typed.append(.init(severity: s, minimum: b.minimum, maximum: b.maximum))
            }
            kind = .publicity(typed)
        }
        return ResolvedDuration(kind: kind, text: RuleFormatter.text(of: d.spec, keyword: d.keyword.name))
    }
}
