import CreditRegistry

/// Everything the checker resolved, handed to the compiler.
struct SymbolTable {
    struct ListSymbol { var name: String; var owner: String?; var fed: Bool; var range: SourceRange }
    struct Located { var file: String; var block: Block; var range: SourceRange }

    var departments: [String: (name: String, range: SourceRange)] = [:]
    var lists: [String: ListSymbol] = [:]
    var measures: [String: Located] = [:]
    var memoranda: [String: Located] = [:]
    /// File path → the document number of the memorandum it declares.
    var memorandumOfFile: [String: String] = [:]
    var rules: [Located] = []
    var derives: [Located] = []
    var tests: [Located] = []
    /// List id → ids of the derive rules that add to it.
    var derivedBy: [String: [String]] = [:]
}

/// Checks meaning across all files and collects every error, sorted by location.
///
/// Reports: unknown lists, departments, measures, fields, values and roles; type errors;
/// duplicate ids; measures without a basis; missing or repeated clauses; rules that can never
/// fire (contradictions, roles of natural persons, lists nobody can be on); derivation cycles;
/// malformed in-file tests. An error that only follows from another is not repeated.
struct Checker {
    private(set) var diagnostics: [Diagnostic] = []
    private(set) var symbols = SymbolTable()

    static func check(_ files: [FileAST]) -> (SymbolTable, [Diagnostic]) {
        var c = Checker()
        c.run(files.sorted { $0.path < $1.path })
        return (c.symbols, Diagnostic.sorted(c.diagnostics))
    }

    private mutating func error(_ code: String, _ range: SourceRange, _ message: String, hint: String? = nil) {
        diagnostics.append(Diagnostic(code, .error, at: range, message, hint: hint))
    }

    private mutating func warning(_ code: String, _ range: SourceRange, _ message: String, hint: String? = nil) {
        diagnostics.append(Diagnostic(code, .warning, at: range, message, hint: hint))
    }

    private func didYouMean(_ name: String, _ candidates: some Sequence<String>) -> String? {
        Suggest.closest(name, in: candidates).map { "did you mean '\($0)'?" }
    }

    // MARK: declarations

    private mutating func run(_ files: [FileAST]) {
        var ruleIDs: [String: SourceRange] = [:]
        var testNames: [String: SourceRange] = [:]
        for f in files {
            var memo: Block?
            for item in f.items {
                switch item.kind {
                case .department(let id, let name):
                    if let first = symbols.departments[id.name] {
                        duplicate("department", id, first.range)
                    } else {
                        symbols.departments[id.name] = (name.value, id.range)
                    }
                case .list(let id, let name, let owner, let fed):
                    if let first = symbols.lists[id.name] {
                        duplicate("list", id, first.range)
                    } else {
                        symbols.lists[id.name] = .init(name: name.value, owner: owner?.name, fed: fed || Vocabulary.fedLists.contains(id.name), range: id.range)
                    }
                case .block(let b):
                    let loc = SymbolTable.Located(file: f.path, block: b, range: b.name.range)
                    switch b.kind {
                    case .memorandum:
                        if let m = memo {
                            error("check.multipleMemoranda", b.name.range, "a file declares one memorandum; this file already declares '\(m.nameText)'",
                                  hint: "move this memorandum to its own file")
                        } else {
                            memo = b
                            symbols.memorandumOfFile[f.path] = b.nameText
                        }
                        if let first = symbols.memoranda[b.nameText] {
                            duplicate("memorandum", b.name.range, b.nameText, first.range)
                        } else {
                            symbols.memoranda[b.nameText] = loc
                        }
                    case .measure:
                        if let first = symbols.measures[b.nameText] {
                            duplicate("measure", b.name.range, b.nameText, first.range)
                        } else {
                            symbols.measures[b.nameText] = loc
                        }
                    case .rule, .derive:
                        if let first = ruleIDs[b.nameText] {
                            duplicate("rule", b.name.range, b.nameText, first)
                        } else {
                            ruleIDs[b.nameText] = b.name.range
                        }
                        if b.kind == .rule { symbols.rules.append(loc) } else {
                            symbols.derives.append(loc)
                            if case .addTo(_, let l)? = b.first("add")?.kind { symbols.derivedBy[l.name, default: []].append(b.nameText) }
                        }
                    case .test:
                        let key = f.path + "\u{0}" + b.nameText
                        if let first = testNames[key] {
                            duplicate("test", b.name.range, b.nameText, first)
                        } else {
                            testNames[key] = b.name.range
                        }
                        symbols.tests.append(loc)
                    }
                }
            }
            if memo == nil, let orphan = f.blocks.first(where: { $0.kind == .measure || $0.kind == .rule || $0.kind == .derive }) {
                error("check.noMemorandum", orphan.name.range, "\(orphan.kind.rawValue) '\(orphan.nameText)' is in a file without a memorandum",
                      hint: "add 'memorandum \"<document number>\" { … }' to this file; catalogue files hold only departments and lists")
            }
        }
        for (id, l) in symbols.lists.sorted(by: { $0.key < $1.key }) {
            if let o = l.owner, symbols.departments[o] == nil {
                // Find the owner's range by re-scanning (owner ranges are not kept in the table).
                let r = ownerRange(files, list: id) ?? l.range
                error("check.unknownDepartment", r, "unknown department '\(o)'", hint: didYouMean(o, symbols.departments.keys))
            }
        }
        var applied: Set<String> = []
        for f in files {
            for b in f.blocks {
                switch b.kind {
                case .memorandum: checkMemorandum(b)
                case .measure: checkMeasure(b)
                case .rule: applied.formUnion(checkRule(b))
                case .derive: checkDerive(b)
                case .test: checkTest(b)
                }
            }
        }
        for (id, m) in symbols.measures.sorted(by: { $0.key < $1.key }) where !applied.contains(id) {
            warning("check.unusedMeasure", m.range, "measure '\(id)' is not applied by any rule")
        }
        checkDerivationCycles()
    }

    private func ownerRange(_ files: [FileAST], list: String) -> SourceRange? {
        for f in files {
            for item in f.items {
                if case .list(let id, _, let owner?, _) = item.kind, id.name == list { return owner.range }
            }
        }
        return nil
    }

    private mutating func duplicate(_ what: String, _ id: Ident, _ first: SourceRange) {
        duplicate(what, id.range, id.name, first)
    }

    private mutating func duplicate(_ what: String, _ range: SourceRange, _ name: String, _ first: SourceRange) {
        error("check.duplicateID", range, "duplicate \(what) '\(name)'", hint: "first declared at \(first)")
    }

    private mutating func singleClauses(_ b: Block, _ names: [String]) {
        for n in names {
            let cs = b.clauses(n)
            for extra in cs.dropFirst() {
                error("check.duplicateClause", extra.kind.keyword.range, "'\(n)' is given more than once in \(b.kind.rawValue) '\(b.nameText)'")
            }
        }
    }

    private mutating func requireDepartment(_ id: Ident) {
        if symbols.departments[id.name] == nil {
            error("check.unknownDepartment", id.range, "unknown department '\(id.name)'", hint: didYouMean(id.name, symbols.departments.keys))
        }
    }

    private mutating func requireList(_ id: Ident) {
        if symbols.lists[id.name] == nil {
            error("check.unknownList", id.range, "unknown list '\(id.name)'", hint: didYouMean(id.name, symbols.lists.keys))
        }
    }

    private mutating func requireMeasure(_ id: Ident) {
        if symbols.measures[id.name] == nil {
            error("check.unknownMeasure", id.range, "unknown measure '\(id.name)'", hint: didYouMean(id.name, symbols.measures.keys))
        }
    }

    private mutating func checkMemorandum(_ b: Block) {
        singleClauses(b, ["title", "date", "signatories"])
        if b.first("title") == nil {
            error("check.missingClause", b.keyword.range, "memorandum '\(b.nameText)' has no title", hint: "add 'title \"…\"'")
        }
        if b.first("date") == nil {
            error("check.missingClause", b.keyword.range, "memorandum '\(b.nameText)' has no date", hint: "add 'date yyyy-mm-dd' (and 'unconfirmed \"…\"' if the date is not confirmed)")
        }
        for c in b.clauses {
            switch c.kind {
            case .number(_, let n) where (n.intValue ?? 0) <= 0:
                error("check.invalidNumber", n.range, "signatories must be a positive whole number")
            case .idents(let k, let ids) where k.name == "signed_by":
                ids.forEach { requireDepartment($0) }
            case .idents(let k, let ids) where k.name == "targets":
                ids.forEach { requireList($0) }
            default: break
            }
        }
    }

    private mutating func checkMeasure(_ b: Block) {
        singleClauses(b, ["text", "department", "basis", "category", "financial"])
        if b.first("text") == nil {
            error("check.missingClause", b.keyword.range, "measure '\(b.nameText)' has no text", hint: "add 'text \"…\"' with the measure as the memorandum words it")
        }
        if b.first("department") == nil {
            error("check.missingClause", b.keyword.range, "measure '\(b.nameText)' has no implementing department", hint: "add 'department <id>'")
        }
        if b.first("basis") == nil {
            error("check.missingBasis", b.keyword.range, "measure '\(b.nameText)' has no legal basis",
                  hint: "add 'basis \"…\"'; when the memorandum gives none, cite the memorandum itself and mark it 'unconfirmed'")
        }
        if b.first("category") == nil {
            error("check.missingClause", b.keyword.range, "measure '\(b.nameText)' has no category", hint: "add 'category administrative|market|sector|social' (国发〔2016〕33号)")
        }
        for c in b.clauses {
            if case .idents(let k, let ids) = c.kind {
                if k.name == "department" { ids.forEach { requireDepartment($0) } }
                if k.name == "category", let cat = ids.first, !Vocabulary.categories.contains(cat.name) {
                    error("check.unknownValue", cat.range, "unknown category '\(cat.name)'",
                          hint: didYouMean(cat.name, Vocabulary.categories) ?? "one of: \(Vocabulary.categories.joined(separator: ", "))")
                }
            }
        }
    }

    /// Returns the measures the rule applies.
    private mutating func checkRule(_ b: Block) -> Set<String> {
        singleClauses(b, ["title", "apply", "to", "despite"])
        let effects = b.clauses.filter { ["punish", "reward"].contains($0.kind.keyword.name) }
        for extra in effects.dropFirst() {
            error("check.duplicateClause", extra.kind.keyword.range, "rule '\(b.nameText)' has more than one 'punish when'/'reward when'")
        }
        let durations = b.clauses.filter { ["for", "while", "until"].contains($0.kind.keyword.name) }
        for extra in durations.dropFirst() {
            error("check.duplicateClause", extra.kind.keyword.range, "rule '\(b.nameText)' gives more than one duration")
        }
        var applied: Set<String> = []
        var condition: Condition?
        var isPunish = true
        if case .condition(let k, let c)? = effects.first?.kind {
            condition = c
            isPunish = k.name == "punish"
            checkCondition(c)
        } else {
            error("check.missingClause", b.keyword.range, "rule '\(b.nameText)' has no 'punish when …' or 'reward when …'")
        }
        if case .idents(_, let ids)? = b.first("apply")?.kind {
            for id in ids {
                requireMeasure(id)
                applied.insert(id.name)
            }
        } else {
            error("check.missingClause", b.keyword.range, "rule '\(b.nameText)' applies no measure", hint: "add 'apply <measure>, …'")
        }
        var roleTargets: [Ident] = []
        if case .idents(_, let ids)? = b.first("to")?.kind {
            for id in ids where id.name != "subject" {
                if Vocabulary.roles.contains(id.name) { roleTargets.append(id) } else {
                    error("check.unknownRole", id.range, "unknown role '\(id.name)'",
                          hint: didYouMean(id.name, Vocabulary.roles + ["subject"]) ?? "use 'subject' or one of: \(Vocabulary.roles.joined(separator: ", "))")
                }
            }
        }
        if let d = durations.first, case .duration(_, let spec) = d.kind {
            checkDuration(spec, condition: condition, at: d.kind.keyword.range)
        }
        if let flag = b.first("despite"), isPunish {
            warning("check.despiteOnPunishment", flag.kind.keyword.range, "'despite punishment' only matters for 'reward' rules")
        }
        if let c = condition {
            checkNeverFires(c, roles: roleTargets, ruleID: b.nameText)
        }
        return applied
    }

    private mutating func checkDerive(_ b: Block) {
        singleClauses(b, ["title", "when", "add"])
        var condition: Condition?
        if case .condition(_, let c)? = b.first("when")?.kind {
            condition = c
            checkCondition(c)
            checkNeverFires(c, roles: [], ruleID: b.nameText)
        } else {
            error("check.missingClause", b.keyword.range, "derive '\(b.nameText)' has no 'when …'")
        }
        if case .addTo(_, let l)? = b.first("add")?.kind { requireList(l) } else {
            error("check.missingClause", b.keyword.range, "derive '\(b.nameText)' has no 'add to <list>'")
        }
        let durations = b.clauses.filter { ["for", "while", "until"].contains($0.kind.keyword.name) }
        for extra in durations.dropFirst() {
            error("check.duplicateClause", extra.kind.keyword.range, "derive '\(b.nameText)' gives more than one duration")
        }
        if let d = durations.first, case .duration(_, let spec) = d.kind {
            checkDuration(spec, condition: condition, at: d.kind.keyword.range)
        }
    }

    private mutating func checkDuration(_ spec: DurationSpec, condition: Condition?, at range: SourceRange) {
        switch spec {
        case .publicity(let bands):
            var seen: Set<String> = []
            for band in bands {
                if !Vocabulary.severities.contains(band.severity.name) {
                    error("check.unknownValue", band.severity.range, "unknown penalty severity '\(band.severity.name)'",
                          hint: didYouMean(band.severity.name, Vocabulary.severities) ?? "one of: \(Vocabulary.severities.joined(separator: ", "))")
                } else if !seen.insert(band.severity.name).inserted {
                    error("check.duplicateClause", band.severity.range, "severity '\(band.severity.name)' is given twice")
                }
                if Checker.approxDays(band.minimum) > Checker.approxDays(band.maximum) {
                    error("check.invalidPeriod", band.minimum.range.union(band.maximum.range), "the minimum \(band.minimum.text) is longer than the maximum \(band.maximum.text)")
                }
            }
            fallthrough
        case .untilRepaired:
            if let c = condition, !Checker.mentionsPenalty(c) {
                error("check.durationNeedsPenalty", range, "this duration is counted from a penalty, but the condition has no 'penalty(…)'",
                      hint: "add 'penalty(…)' to the condition, or use 'for <period>' / 'while held'")
            }
        default: break
        }
    }

    static func approxDays(_ p: PeriodLit) -> Int {
        switch p.unit { case .day: p.amount; case .month: p.amount * 31; case .year: p.amount * 366 }
    }

    static func mentionsPenalty(_ c: Condition) -> Bool {
        switch c {
        case .and(let xs): xs.contains(where: mentionsPenalty)
        case .or(let xs): xs.allSatisfy(mentionsPenalty)
        case .penalty: true
        default: false
        }
    }

    /// True when every way the condition can hold gives a date it started (a triggering fact).
    static func dates(_ c: Condition) -> Bool {
        switch c {
        case .and(let xs): return xs.contains(where: dates)
        case .or(let xs): return xs.allSatisfy(dates)
        case .not: return false
        case .listed, .penalty, .revokedLicence: return true
        case .keyPerson(_, let inner, _), .holds(_, let inner, _): return dates(inner)
        case .compare(let lhs, let op, _, _, _):
            switch lhs {
            case .field(let f): return f.name != "kind"
            case .gradeOf: return true
            case .aggregate: return op == .ge || op == .gt
            }
        }
    }

    // MARK: conditions

    private mutating func checkCondition(_ c: Condition) {
        switch c {
        case .and(let xs):
            xs.forEach { checkCondition($0) }
            checkContradiction(xs, range: c.range)
        case .or(let xs):
            xs.forEach { checkCondition($0) }
        case .not(let x, _):
            checkCondition(x)
        case .listed(let l, let grounds, _, _):
            requireList(l)
            if let g = grounds {
                let values: [Value]
                if case .list(let xs, _) = g { values = xs } else { values = [g] }
                for v in values {
                    switch v {
                    case .number, .string: break
                    default: error("check.typeMismatch", v.range, "a listing ground is a number or a text, not \(Checker.describe(v))")
                    }
                }
            }
        case .penalty(_, let filter, _):
            checkFilter(filter, fields: Vocabulary.penaltyFields, what: "penalty")
        case .revokedLicence(_, let filter, _):
            checkFilter(filter, fields: Vocabulary.licenceFields, what: "licence")
        case .keyPerson(let role, let inner, _), .holds(let role, let inner, _):
            if !Vocabulary.roles.contains(role.name) {
                error("check.unknownRole", role.range, "unknown role '\(role.name)'", hint: didYouMean(role.name, Vocabulary.roles))
            }
            checkCondition(inner)
        case .compare(let lhs, let op, let opRange, let v, _):
            switch lhs {
            case .field(let f):
                guard let t = Vocabulary.subjectFields[f.name] else {
                    error("check.unknownField", f.range, "unknown field '\(f.name)'",
                          hint: didYouMean(f.name, Vocabulary.conditionWords) ?? "a condition starts with one of: \(Vocabulary.conditionWords.joined(separator: ", "))")
                    return
                }
                checkComparison(t, fieldName: f.name, op: op, opRange: opRange, value: v)
            case .gradeOf(_, let year):
                if let y = year.intValue, y >= 1990, y <= 2200 {} else {
                    error("check.invalidNumber", year.range, "'\(year.text)' is not a plausible tax year")
                }
                checkComparison(Vocabulary.gradeType, fieldName: "grade", op: op, opRange: opRange, value: v)
            case .aggregate(let fn, let filter, _):
                checkFilter(filter, fields: Vocabulary.penaltyFields, what: "penalty")
                checkComparison(fn.name == "count" ? .integer("a count") : .amount, fieldName: fn.name, op: op, opRange: opRange, value: v)
            }
        }
    }

    private mutating func checkFilter(_ terms: [FilterTerm], fields: [String: Vocabulary.FieldType], what: String) {
        for t in terms {
            guard let type = fields[t.field.name] else {
                error("check.unknownField", t.field.range, "unknown \(what) field '\(t.field.name)'",
                      hint: didYouMean(t.field.name, fields.keys) ?? "a \(what) has: \(fields.keys.sorted().joined(separator: ", "))")
                continue
            }
            checkComparison(type, fieldName: t.field.name, op: t.op, opRange: t.opRange, value: t.value)
        }
    }

    static func describe(_ v: Value) -> String {
        switch v {
        case .ident(let i): "the name '\(i.name)'"
        case .string: "a text"
        case .number: "a number"
        case .date: "a date"
        case .list: "a list"
        }
    }

    private mutating func checkComparison(_ type: Vocabulary.FieldType, fieldName: String, op: CompareOp, opRange: SourceRange, value: Value) {
        // Operator against type.
        switch type {
        case .enumeration, .text:
            if ![.eq, .ne, .in].contains(op) {
                error("check.typeMismatch", opRange, "'\(op.rawValue)' cannot compare \(type.noun)", hint: "use =, != or in")
                return
            }
        case .integer, .amount:
            if op == .in {
                error("check.typeMismatch", opRange, "'in' cannot be used with \(type.noun)", hint: "use =, !=, <, <=, > or >=")
                return
            }
        }
        let values: [Value]
        if op == .in {
            guard case .list(let xs, _) = value else {
                error("check.typeMismatch", value.range, "'in' needs a list such as [A, B], not \(Checker.describe(value))")
                return
            }
            if xs.isEmpty { error("check.neverFires", value.range, "'in []' can never hold") }
            values = xs
        } else {
            if case .list = value {
                error("check.typeMismatch", value.range, "'\(op.rawValue)' compares with one value; use 'in' for a list")
                return
            }
            values = [value]
        }
        for v in values {
            switch (type, v) {
            case (.enumeration(let noun, let allowed), .ident(let i)):
                if !allowed.contains(i.name) {
                    error("check.unknownValue", i.range, "'\(i.name)' is not \(noun)",
                          hint: didYouMean(i.name, allowed) ?? "one of: \(allowed.joined(separator: ", "))")
                }
            case (.integer, .number(let n)):
                if n.intValue == nil { error("check.typeMismatch", n.range, "\(fieldName) is a whole number, not '\(n.text)'") }
            case (.amount, .number(let n)):
                if n.micro == nil { error("check.invalidNumber", n.range, "'\(n.text)' is not a valid amount") }
            case (.text, .string):
                break
            default:
                error("check.typeMismatch", v.range, "cannot compare \(type.noun) with \(Checker.describe(v))",
                      hint: Checker.typeHint(type))
            }
        }
    }

    static func typeHint(_ t: Vocabulary.FieldType) -> String {
        switch t {
        case .enumeration(_, let vs): "write one of: \(vs.joined(separator: ", "))"
        case .integer: "write a whole number"
        case .amount: "write an amount in 万元, e.g. 50 or 12.5"
        case .text: "write the text in double quotes"
        }
    }

    /// The values an enumeration comparison allows (nil when it says nothing about the field).
    private static func allowedSet(_ c: Condition, field: String, all: [String]) -> Set<String>? {
        guard case .compare(.field(let f), let op, _, let v, _) = c, f.name == field else { return nil }
        var names: [String] = []
        switch v {
        case .ident(let i): names = [i.name]
        case .list(let xs, _): names = xs.compactMap { if case .ident(let i) = $0 { i.name } else { nil } }
        default: return nil
        }
        switch op {
        case .eq, .in: return Set(names)
        case .ne: return Set(all).subtracting(names)
        default: return nil
        }
    }

    private mutating func checkContradiction(_ xs: [Condition], range: SourceRange) {
        for (field, all) in [("kind", Vocabulary.subjectKinds), ("status", Vocabulary.statuses), ("latest_grade", Vocabulary.grades)] {
            let sets = xs.compactMap { Checker.allowedSet($0, field: field, all: all) }
            guard sets.count > 1 else { continue }
            let both = sets.dropFirst().reduce(sets[0]) { $0.intersection($1) }
            if both.isEmpty {
                error("check.neverFires", range, "contradictory conditions: \(field) cannot satisfy all of them at once",
                      hint: "this rule can never fire")
                return
            }
        }
        let texts = xs.map { RuleFormatter.text(of: $0) }
        for x in xs {
            if case .not(let inner, let r) = x, texts.contains(RuleFormatter.text(of: inner)) {
                error("check.neverFires", r, "contradictory conditions: '\(RuleFormatter.text(of: inner))' and its negation",
                      hint: "this rule can never fire")
                return
            }
        }
    }

    /// The subject kinds a condition allows (nil = any).
    static func kinds(_ c: Condition) -> Set<String>? {
        switch c {
        case .and(let xs):
            let sets = xs.compactMap(kinds)
            return sets.isEmpty ? nil : sets.dropFirst().reduce(sets[0]) { $0.intersection($1) }
        case .or(let xs):
            var u: Set<String> = []
            for x in xs { guard let s = kinds(x) else { return nil }; u.formUnion(s) }
            return u
        case .keyPerson:
            return Set(Vocabulary.subjectKinds).subtracting(["natural_person"])
        default:
            return allowedSet(c, field: "kind", all: Vocabulary.subjectKinds)
        }
    }

    private mutating func checkNeverFires(_ c: Condition, roles: [Ident], ruleID: String) {
        if !Checker.dates(c) {
            error("check.noTrigger", c.range, "nothing in this condition dates the case (a listing, penalty, grade, revoked licence or status)",
                  hint: "measures are counted from a triggering fact; add one, e.g. 'listed <list>'")
        }
        if let ks = Checker.kinds(c) {
            if ks.isEmpty {
                // Reported as a contradiction already when it comes from one conjunction.
            } else if ks == ["natural_person"] {
                for r in roles {
                    error("check.neverFires", r.range, "a natural person has no \(r.name): rule '\(ruleID)' can never reach it",
                          hint: "remove '\(r.name)' from 'to', or target organisations")
                }
                if case .keyPerson(let role, _, _)? = Checker.firstKeyPerson(c) {
                    error("check.neverFires", role.range, "a natural person has no \(role.name): this condition can never hold")
                }
            }
        }
        for l in Checker.listsUsed(c) where symbols.lists[l.name] != nil {
            if !(symbols.lists[l.name]!.fed) && symbols.derivedBy[l.name] == nil {
                error("check.unreachableList", l.range, "nobody can be on list '\(l.name)': no feed fills it and no 'derive' adds to it",
                      hint: "mark the list 'fed' in its declaration if a feed fills it")
            }
        }
    }

    static func firstKeyPerson(_ c: Condition) -> Condition? {
        switch c {
        case .keyPerson: c
        case .and(let xs): xs.lazy.compactMap(firstKeyPerson).first
        default: nil
        }
    }

    static func listsUsed(_ c: Condition) -> [Ident] {
        switch c {
        case .and(let xs), .or(let xs): xs.flatMap(listsUsed)
        case .not(let x, _): listsUsed(x)
        case .listed(let l, _, _, _): [l]
        case .keyPerson(_, let x, _), .holds(_, let x, _): listsUsed(x)
        default: []
        }
    }

    private mutating func checkDerivationCycles() {
        // Edges: derived list → lists its derive rules read.
        var edges: [String: Set<String>] = [:]
        var ruleOf: [String: Block] = [:]
        for d in symbols.derives {
            guard case .addTo(_, let target)? = d.block.first("add")?.kind, case .condition(_, let c)? = d.block.first("when")?.kind else { continue }
            edges[target.name, default: []].formUnion(Checker.listsUsed(c).map(\.name))
            ruleOf[target.name] = ruleOf[target.name] ?? d.block
        }
        var state: [String: Int] = [:]
        var reported = false
        func visit(_ n: String) -> Bool {
            if state[n] == 1 { return true }
            if state[n] == 2 { return false }
            state[n] = 1
            for m in (edges[n] ?? []).sorted() where visit(m) { return true }
            state[n] = 2
            return false
        }
        for n in edges.keys.sorted() where !reported && visit(n) {
            if let b = ruleOf[n] {
                error("check.derivationCycle", b.name.range, "list '\(n)' is derived, directly or not, from itself",
                      hint: "a derive rule may not read the list it adds to")
            }
            reported = true
        }
    }

    // MARK: tests

    private mutating func checkTest(_ b: Block) {
        var aliases: [String: SubjectDecl] = [:]
        for c in b.clauses {
            guard case .subject(_, let s) = c.kind else { continue }
            if let first = aliases[s.alias.name] { duplicate("subject", s.alias, first.alias.range) } else { aliases[s.alias.name] = s }
            if !Vocabulary.subjectKinds.contains(s.kind.name) {
                error("check.unknownValue", s.kind.range, "'\(s.kind.name)' is not a subject kind",
                      hint: didYouMean(s.kind.name, Vocabulary.subjectKinds) ?? "one of: \(Vocabulary.subjectKinds.joined(separator: ", "))")
            }
        }
        var expectations = 0
        for c in b.clauses {
            switch c.kind {
            case .subject(_, let s):
                for f in s.facts { checkFact(f, aliases: aliases) }
            case .expect(_, let e):
                expectations += 1
                if aliases[e.subject.name] == nil {
                    error("check.unknownSubject", e.subject.range, "unknown subject '\(e.subject.name)' in this test", hint: didYouMean(e.subject.name, aliases.keys))
                }
                if let v = e.via, aliases[v.name] == nil {
                    error("check.unknownSubject", v.range, "unknown subject '\(v.name)' in this test", hint: didYouMean(v.name, aliases.keys))
                }
                e.measures.forEach { requireMeasure($0) }
                if case .ident(let i)? = e.until, i.name != "open" {
                    error("parse.expected", i.range, "expected a date or 'open'")
                }
            default: break
            }
        }
        if expectations == 0 {
            warning("check.emptyTest", b.name.range, "test '\(b.nameText)' has no 'expect'")
        }
    }

    private mutating func checkFact(_ f: FactLine, aliases: [String: SubjectDecl]) {
        let isRole = Vocabulary.roles.contains(f.head.name)
        let key = isRole ? "role" : f.head.name
        guard let spec = Vocabulary.factOptions[key] else {
            error("check.unknownField", f.head.range, "unknown fact '\(f.head.name)'",
                  hint: didYouMean(f.head.name, ["listed", "grade", "penalty", "licence", "status"] + Vocabulary.roles))
            return
        }
        switch (f.head.name, f.argument) {
        case ("listed", .ident(let l)): requireList(l)
        case ("grade", .ident(let g)) where Vocabulary.grades.contains(g.name): break
        case ("penalty", .string), ("licence", .string): break
        case ("status", .ident(let s)) where Vocabulary.statuses.contains(s.name): break
        case (_, .ident(let a)) where isRole:
            if aliases[a.name] == nil {
                error("check.unknownSubject", a.range, "unknown subject '\(a.name)' in this test", hint: didYouMean(a.name, aliases.keys))
            }
        default:
            error("check.typeMismatch", f.argument.range, "unexpected \(Checker.describe(f.argument)) after '\(f.head.name)'",
                  hint: ["listed": "write the list id", "grade": "write A, B, M, C or D", "penalty": "write the decision's document number in quotes",
                         "licence": "write the licence number in quotes", "status": "write one of: \(Vocabulary.statuses.joined(separator: ", "))"][f.head.name] ?? "write the related subject's short name")
        }
        var seen: Set<String> = []
        for o in f.options {
            guard let (kind, _) = spec[o.key.name] else {
                error("check.unknownField", o.key.range, "'\(o.key.name)' does not apply to '\(f.head.name)'",
                      hint: "'\(f.head.name)' takes: \(spec.keys.sorted().joined(separator: ", "))")
                continue
            }
            if !seen.insert(o.key.name).inserted {
                error("check.duplicateClause", o.key.range, "'\(o.key.name)' is given twice")
            }
            if o.values.count > 1 && kind != .texts {
                error("check.typeMismatch", o.values[1].range, "'\(o.key.name)' takes one value")
            }
            for v in o.values {
                let ok: Bool
                switch (kind, v) {
                case (.date, .date), (.number, .number), (.text, .string), (.texts, .string), (.ground, .number), (.ground, .string): ok = true
                case (.ident, .ident(let i)): ok = Vocabulary.severities.contains(i.name)
                default: ok = false
                }
                if !ok {
                    let want: String = switch kind {
                    case .date: "a date"
                    case .number: "a number"
                    case .text, .texts: "a text in quotes"
                    case .ground: "a number or a text"
                    case .ident: "one of: \(Vocabulary.severities.joined(separator: ", "))"
                    }
                    error("check.typeMismatch", v.range, "'\(o.key.name)' needs \(want), not \(Checker.describe(v))")
                }
            }
        }
        for (name, (_, required)) in spec.sorted(by: { $0.key < $1.key }) where required && !seen.contains(name) {
            error("check.missingClause", f.head.range, "'\(f.head.name)' needs '\(name)'")
        }
    }
}
