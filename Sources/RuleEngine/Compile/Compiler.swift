import CreditRegistry

/// Turns checked syntax trees into a ``CompiledRuleSet``. Runs only when the checker found no
/// error, but never traps on odd input: anything unresolved is skipped.
struct Compiler {
    let files: [FileAST]
    let symbols: SymbolTable
    let version: String

    private var listIDs: [String] = []
    private var listIndex: [String: Int] = [:]

    init(files: [FileAST], symbols: SymbolTable, version: String) {
        self.files = files.sorted { $0.path < $1.path }
        self.symbols = symbols
        self.version = version
        listIDs = symbols.lists.keys.sorted()
        for (i, l) in listIDs.enumerated() { listIndex[l] = i }
    }

    private func department(_ id: String) -> DepartmentRef {
        DepartmentRef(id: id, name: symbols.departments[id]?.name ?? id)
    }

    private static func texts(_ b: Block, _ key: String) -> [String] {
        b.clauses(key).compactMap { if case .text(_, let s) = $0.kind { s.value } else { nil } }
    }

    private static func text(_ b: Block, _ key: String) -> String? { texts(b, key).first }

    private static func idents(_ b: Block, _ key: String) -> [String] {
        b.clauses(key).flatMap { c -> [String] in if case .idents(_, let ids) = c.kind { ids.map(\.name) } else { [] } }
    }

    func compile() -> CompiledRuleSet {
        let memoranda: [MemorandumInfo] = symbols.memoranda.values.map { loc in
            let b = loc.block
            var date: Day?
            if case .date(_, let d)? = b.first("date")?.kind { date = d.day }
            var sign: Int?
            if case .number(_, let n)? = b.first("signatories")?.kind { sign = n.intValue }
            return MemorandumInfo(number: b.nameText, title: Compiler.text(b, "title") ?? "", date: date, signatories: sign,
                                  signedBy: Compiler.idents(b, "signed_by"), targets: Compiler.idents(b, "targets"),
                                  revises: Compiler.texts(b, "revises"), unconfirmed: Compiler.texts(b, "unconfirmed"),
                                  notes: Compiler.texts(b, "note"), location: loc.range.description)
        }.sorted { $0.number < $1.number }

        let departments = symbols.departments.map { DepartmentInfo(id: $0.key, name: $0.value.name) }.sorted { $0.id < $1.id }
        let lists = listIDs.map { id -> ListInfo in
            let l = symbols.lists[id]!
            return ListInfo(id: id, name: l.name, owner: l.owner.map(department), fed: l.fed, derivedBy: (symbols.derivedBy[id] ?? []).sorted())
        }

        let measureIDs = symbols.measures.keys.sorted()
        var measureIndex: [String: Int] = [:]
        for (i, m) in measureIDs.enumerated() { measureIndex[m] = i }
        let measures = measureIDs.map { id -> MeasureInfo in
            let loc = symbols.measures[id]!
            let b = loc.block
            let cat = Compiler.idents(b, "category").first.flatMap(MeasureCategory.init(rawValue:)) ?? .administrative
            return MeasureInfo(id: id, text: Compiler.text(b, "text") ?? "", department: department(Compiler.idents(b, "department").first ?? ""),
                               legalBasis: Compiler.text(b, "basis") ?? "", category: cat, financial: b.first("financial") != nil,
                               memorandum: symbols.memorandumOfFile[loc.file] ?? "", unconfirmed: Compiler.texts(b, "unconfirmed"),
                               location: loc.range.description)
        }

        var ruleInfos: [RuleInfo] = []
        var rules: [CRule] = []
        var needsRelated = false
        for loc in symbols.rules.sorted(by: { $0.block.nameText < $1.block.nameText }) {
            let b = loc.block
            guard let effect = b.clauses.first(where: { ["punish", "reward"].contains($0.kind.keyword.name) }),
                  case .condition(let k, let cond) = effect.kind else { continue }
            let isPunish = k.name == "punish"
            let targets = Compiler.idents(b, "to")
            let measureNames = Compiler.idents(b, "apply")
            let (durSpec, durText) = duration(b)
            let memo = symbols.memorandumOfFile[loc.file] ?? ""
            let compiled = compileCondition(cond)
            if Compiler.readsRelated(cond) { needsRelated = true }
            rules.append(CRule(id: b.nameText, memorandum: memo, isPunishment: isPunish, despitePunishment: b.first("despite") != nil,
                               measures: measureNames.compactMap { measureIndex[$0] },
                               toSubject: targets.isEmpty || targets.contains("subject"),
                               roles: targets.compactMap(RelationRole.init(rawValue:)),
                               condition: compiled, duration: durSpec, conjuncts: conjuncts(cond)))
            ruleInfos.append(RuleInfo(id: b.nameText, kind: isPunish ? .punishment : .incentive, title: Compiler.text(b, "title"),
                                      memorandum: memo, condition: RuleFormatter.text(of: cond), measures: measureNames,
                                      targets: targets.isEmpty ? ["subject"] : targets, addsToList: nil, duration: durText,
                                      despitePunishment: b.first("despite") != nil, unconfirmed: Compiler.texts(b, "unconfirmed"),
                                      location: loc.range.description))
        }

        var derives: [CDerive] = []
        for loc in orderedDerives() {
            let b = loc.block
            guard case .condition(_, let cond)? = b.first("when")?.kind, case .addTo(_, let l)? = b.first("add")?.kind,
                  let li = listIndex[l.name] else { continue }
            let (durSpec, durText) = duration(b)
            let memo = symbols.memorandumOfFile[loc.file] ?? ""
            if Compiler.readsRelated(cond) { needsRelated = true }
            derives.append(CDerive(id: b.nameText, memorandum: memo, list: li, condition: compileCondition(cond), duration: durSpec,
                                   conjuncts: conjuncts(cond)))
            ruleInfos.append(RuleInfo(id: b.nameText, kind: .derivation, title: Compiler.text(b, "title"), memorandum: memo,
                                      condition: RuleFormatter.text(of: cond), measures: [], targets: ["subject"], addsToList: l.name,
                                      duration: durText, despitePunishment: false, unconfirmed: Compiler.texts(b, "unconfirmed"),
                                      location: loc.range.description))
        }
        ruleInfos.sort { $0.id < $1.id }

        let program = Program(listIDs: listIDs, measures: measures, derives: derives, rules: rules, needsRelated: needsRelated)
        let tests = symbols.tests.map(compileTest)
        return CompiledRuleSet(version: version, memoranda: memoranda, departments: departments, lists: lists, measures: measures,
                               rules: ruleInfos, program: program, tests: tests)
    }

    /// Derive rules in an order where a rule comes after every rule adding to a list it reads.
    private func orderedDerives() -> [SymbolTable.Located] {
        var remaining = symbols.derives.sorted { $0.block.nameText < $1.block.nameText }
        var out: [SymbolTable.Located] = []
        while !remaining.isEmpty {
            let pendingTargets = Set(remaining.compactMap { d -> String? in
                if case .addTo(_, let l)? = d.block.first("add")?.kind { l.name } else { nil }
            })
            let readyIndex = remaining.firstIndex { d in
                guard case .condition(_, let c)? = d.block.first("when")?.kind else { return true }
                var own: String?
                if case .addTo(_, let l)? = d.block.first("add")?.kind { own = l.name }
                return Checker.listsUsed(c).allSatisfy { !pendingTargets.contains($0.name) || $0.name == own }
            } ?? 0
            out.append(remaining.remove(at: readyIndex))
        }
        return out
    }

    private func duration(_ b: Block) -> (CDuration, String) {
        guard let c = b.clauses.first(where: { ["for", "while", "until"].contains($0.kind.keyword.name) }),
              case .duration(let k, let spec) = c.kind else { return (.whileHeld, "while held") }
        let text = RuleFormatter.text(of: spec, keyword: k.name)
        switch spec {
        case .whileHeld, .untilExit: return (.whileHeld, text)
        case .untilRepaired: return (.untilRepaired, text)
        case .fixed(let p, let exit): return (.fixed(CPeriod(p), orUntilExit: exit), text)
        case .publicity(let bands):
            var lo = [CPeriod?](repeating: nil, count: 3), hi = [CPeriod?](repeating: nil, count: 3)
            for band in bands {
                guard let s = PenaltySeverity(rawValue: band.severity.name) else { continue }
                let i = Int(CMask.severityIndex(s))
                lo[i] = CPeriod(band.minimum); hi[i] = CPeriod(band.maximum)
            }
            return (.publicity(lo, hi), text)
        }
    }

    private func conjuncts(_ c: Condition) -> [(CCond, String)] {
        if case .and(let xs) = c { return xs.map { (compileCondition($0), RuleFormatter.text(of: $0)) } }
        return [(compileCondition(c), RuleFormatter.text(of: c))]
    }

    static func readsRelated(_ c: Condition) -> Bool {
        switch c {
        case .and(let xs), .or(let xs): xs.contains(where: readsRelated)
        case .not(let x, _): readsRelated(x)
        case .keyPerson, .holds: true
        default: false
        }
    }

    private static func names(_ v: Value) -> [String] {
        switch v {
        case .ident(let i): [i.name]
        case .string(let s): [s.value]
        case .number(let n): [n.text]
        case .date(let d): [d.text]
        case .list(let xs, _): xs.flatMap(names)
        }
    }

    private static func mask(_ op: CompareOp, _ v: Value, all: [String]) -> UInt16 {
        var m: UInt16 = 0
        for n in names(v) { if let i = all.firstIndex(of: n) { m |= 1 << UInt16(i) } }
        if op == .ne { m = ~m & ((1 << UInt16(all.count)) - 1) }
        return m
    }

    private func filter(_ terms: [FilterTerm]) -> CPenaltyFilter {
        CPenaltyFilter(terms: terms.compactMap { t -> CPenaltyTerm? in
            switch t.field.name {
            case "type": .type(CTextTest(values: Compiler.names(t.value), negate: t.op == .ne))
            case "authority": .authority(CTextTest(values: Compiler.names(t.value), negate: t.op == .ne))
            case "severity": .severity(UInt8(truncatingIfNeeded: Compiler.mask(t.op, t.value, all: Vocabulary.severities)))
            case "fine":
                if case .number(let n) = t.value, let m = n.micro { .fine(t.op, m) } else { nil }
            default: nil
            }
        })
    }

    func compileCondition(_ c: Condition) -> CCond {
        switch c {
        case .and(let xs):
            let parts = xs.map(compileCondition).enumerated().sorted { ($0.element.cost, $0.offset) < ($1.element.cost, $1.offset) }.map(\.element)
            return .and(parts)
        case .or(let xs): return .or(xs.map(compileCondition))
        case .not(let x, _): return .not(compileCondition(x))
        case .listed(let l, let g, let atLeast, _):
            return .listed(list: listIndex[l.name] ?? -1, grounds: g.map(Compiler.names), atLeast: atLeast.map(CPeriod.init))
        case .penalty(_, let f, _): return .penalty(filter(f))
        case .revokedLicence(_, let f, _):
            let t = f.first { $0.field.name == "type" }
            return .revokedLicence(t.map { CTextTest(values: Compiler.names($0.value), negate: $0.op == .ne) })
        case .keyPerson(let role, let inner, _):
            return .keyPerson(RelationRole(rawValue: role.name) ?? .legalRepresentative, compileCondition(inner))
        case .holds(let role, let inner, _):
            return .holds(RelationRole(rawValue: role.name) ?? .legalRepresentative, compileCondition(inner))
        case .compare(let lhs, let op, _, let v, _):
            switch lhs {
            case .field(let f):
                switch f.name {
                case "kind": return .kind(Compiler.mask(op, v, all: Vocabulary.subjectKinds))
                case "status": return .status(UInt8(truncatingIfNeeded: Compiler.mask(op, v, all: Vocabulary.statuses)))
                default: return .latestGrade(UInt8(truncatingIfNeeded: Compiler.mask(op, v, all: Vocabulary.grades)))
                }
            case .gradeOf(_, let y):
                return .gradeOf(year: y.intValue ?? 0, mask: UInt8(truncatingIfNeeded: Compiler.mask(op, v, all: Vocabulary.grades)))
            case .aggregate(let fn, let f, let within):
                var n: NumberLit?
                if case .number(let x) = v { n = x }
                if fn.name == "count" {
                    return .count(filter(f), window: CPeriod(within), op: op, n: Int64(n?.intValue ?? 0))
                }
                return .totalFine(filter(f), window: CPeriod(within), op: op, micro: n?.micro ?? 0)
            }
        }
    }

    // MARK: tests

    private static func option(_ f: FactLine, _ key: String) -> [Value]? { f.options.first { $0.key.name == key }?.values }
    private static func day(_ f: FactLine, _ key: String) -> Day? {
        if case .date(let d)? = option(f, key)?.first { return d.day }
        return nil
    }
    private static func str(_ f: FactLine, _ key: String) -> String? {
        if case .string(let s)? = option(f, key)?.first { return s.value }
        return nil
    }
    private static func record(_ f: FactLine) -> Int64 {
        if case .number(let n)? = option(f, "record")?.first { return Int64(n.text) ?? 0 }
        return 0
    }

    func compileTest(_ loc: SymbolTable.Located) -> CompiledTest {
        let b = loc.block
        var order: [String] = []
        var facts: [String: SubjectFacts] = [:]
        var decls: [SubjectDecl] = []
        for c in b.clauses {
            guard case .subject(_, let s) = c.kind, facts[s.alias.name] == nil else { continue }
            order.append(s.alias.name)
            decls.append(s)
            facts[s.alias.name] = SubjectFacts(code: s.code.value, kind: SubjectKind(rawValue: s.kind.name) ?? .enterprise, name: s.name?.value ?? s.alias.name)
        }
        for s in decls {
            for f in s.facts {
                let epoch = Day(ordinal: 0)
                switch f.head.name {
                case "listed":
                    guard case .ident(let l) = f.argument else { continue }
                    var ground: String?
                    if let g = Compiler.option(f, "ground")?.first { ground = Compiler.names(g).first }
                    facts[s.alias.name]!.listEntries.append(ListEntryFact(list: l.name, enteredOn: Compiler.day(f, "from") ?? epoch,
                                                                          exitedOn: Compiler.day(f, "until"), ground: ground, recordIDs: [Compiler.record(f)]))
                case "grade":
                    guard case .ident(let g) = f.argument, let grade = TaxGrade(rawValue: g.name) else { continue }
                    var year = 0
                    if case .number(let n)? = Compiler.option(f, "year")?.first { year = n.intValue ?? 0 }
                    facts[s.alias.name]!.taxGrades.append(TaxGradeFact(year: year, grade: grade, publishedOn: Compiler.day(f, "published") ?? epoch,
                                                                       recordID: Compiler.record(f)))
                case "penalty":
                    guard case .string(let doc) = f.argument else { continue }
                    let types = (Compiler.option(f, "type") ?? []).compactMap { v -> String? in if case .string(let s) = v { s.value } else { nil } }
                    var fine: Int64 = 0
                    if case .number(let n)? = Compiler.option(f, "fine")?.first { fine = n.micro ?? 0 }
                    var severity = PenaltySeverity.general
                    if case .ident(let i)? = Compiler.option(f, "severity")?.first { severity = PenaltySeverity(rawValue: i.name) ?? .general }
                    facts[s.alias.name]!.penalties.append(PenaltyFact(documentNumber: doc.value, decidedOn: Compiler.day(f, "on") ?? epoch, types: types,
                                                                      fineMicroWan: fine, severity: severity, authority: Compiler.str(f, "authority") ?? "",
                                                                      publicityEnd: Compiler.day(f, "until"), repairedOn: Compiler.day(f, "repaired"),
                                                                      revokedOn: Compiler.day(f, "revoked"), recordID: Compiler.record(f)))
                case "licence":
                    guard case .string(let no) = f.argument else { continue }
                    facts[s.alias.name]!.licences.append(LicenceFact(number: no.value, type: Compiler.str(f, "type") ?? "", grantedOn: Compiler.day(f, "from") ?? epoch,
                                                                     validUntil: Compiler.day(f, "until"), revokedOn: Compiler.day(f, "revoked"), recordID: Compiler.record(f)))
                case "status":
                    guard case .ident(let st) = f.argument, let status = SubjectStatus(rawValue: st.name) else { continue }
                    facts[s.alias.name]!.status = status
                    facts[s.alias.name]!.statusSince = Compiler.day(f, "since")
                default:
                    guard let role = RelationRole(rawValue: f.head.name), case .ident(let other) = f.argument, let otherFacts = facts[other.name] else { continue }
                    let rel = RelationFact(role: role, from: s.code.value, to: otherFacts.code, validFrom: Compiler.day(f, "from") ?? epoch,
                                           validTo: Compiler.day(f, "until"), recordID: Compiler.record(f))
                    facts[s.alias.name]!.keyPersons.append(rel)
                    facts[other.name]!.roles.append(rel)
                }
            }
        }
        var expectations: [CompiledExpectation] = []
        for c in b.clauses {
            guard case .expect(_, let e) = c.kind, let subject = facts[e.subject.name], let day = e.day.day else { continue }
            var until: Day??
            switch e.until {
            case .date(let d)?: until = .some(d.day)
            case .ident?: until = .some(nil)
            default: until = nil
            }
            expectations.append(CompiledExpectation(alias: e.subject.name, code: subject.code, day: day, positive: e.positive,
                                                    measures: e.measures.map(\.name), viaCode: e.via.flatMap { facts[$0.name]?.code },
                                                    from: e.from?.day, until: until, range: c.range,
                                                    text: RuleFormatter.clauseText(c.kind)))
        }
        return CompiledTest(name: b.nameText, range: b.name.range, subjects: order.map { ($0, facts[$0]!) }, expectations: expectations)
    }
}
