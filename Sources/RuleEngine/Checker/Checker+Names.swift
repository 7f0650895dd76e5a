// Resolution of names: declarations and duplicates, files without a memorandum, and every
// reference to a department, list, measure, role or field.

extension Checker {
    /// Declares every department, list and block of the files (sorted by path) in the symbol
    /// table, reading each block's clauses once.
    mutating func declare(_ files: [FileAST]) {
        var ruleIDs: [String: SourceRange] = [:]
        var testNames: [String: SourceRange] = [:]
        for f in files {
            var memo: String?
            for item in f.items {
                switch item.kind {
                case .department(let id, let name, let until, let successor):
                    if let first = symbols.departments[id.name] {
                        duplicate("department", id, first.id.range)
                    } else {
                        if let u = until, u.day == nil { error("parse.invalidDate", u.range, "'\(u.text)' is not a calendar date") }
                        symbols.departments[id.name] = ResolvedDepartment(id: id, name: name.value, until: until?.day, successor: successor)
                    }
                case .list(let id, let name, let owner, let fed, let authoritative):
                    if let first = symbols.lists[id.name] {
                        duplicate("list", id, first.id.range)
                    } else {
                        symbols.lists[id.name] = .init(id: id, name: name.value, owner: owner, fed: fed || Vocabulary.fedLists.contains(id.name),
                                                       authoritative: authoritative)
                    }
                case .basic(let id, let name, let item):
                    if let first = symbols.basics[id.name] {
                        duplicate("basic-list measure", id, first.id.range)
                    } else {
                        symbols.basics[id.name] = .init(id: id, name: name.value, item: item?.value)
                    }
                case .block(let b):
                    declare(b, file: f.path, memorandum: &memo, ruleIDs: &ruleIDs, testNames: &testNames)
                }
            }
            if memo == nil, let orphan = f.blocks.first(where: { $0.kind == .measure || $0.kind == .rule || $0.kind == .derive }) {
                error("check.noMemorandum", orphan.name.range, "\(orphan.kind.rawValue) '\(orphan.nameText)' is in a file without a memorandum",
                      hint: "add 'memorandum \"<document number>\" { … }' to this file; catalogue files hold only departments and lists")
            }
        }
    }

    private mutating func declare(_ b: Block, file: String, memorandum memo: inout String?,
                                  ruleIDs: inout [String: SourceRange], testNames: inout [String: SourceRange]) {
        switch b.kind {
        case .memorandum:
            if let m = memo {
                error("check.multipleMemoranda", b.name.range, "a file declares one memorandum; this file already declares '\(m)'",
                      hint: "move this memorandum to its own file")
            } else {
                memo = b.nameText
                symbols.memorandumOfFile[file] = b.nameText
            }
            if let first = Checker.firstDeclaration(of: b, in: &symbols.memorandumNumbers) { duplicate("memorandum", b.name.range, b.nameText, first) }
            symbols.memoranda.append(MemorandumClauses(b, file: file, diagnostics: &diagnostics))
        case .measure:
            if let first = Checker.firstDeclaration(of: b, in: &symbols.measureIDs) { duplicate("measure", b.name.range, b.nameText, first) }
            symbols.measures.append(MeasureClauses(b, file: file, diagnostics: &diagnostics))
        case .rule:
            if let first = Checker.firstDeclaration(of: b, in: &ruleIDs) { duplicate("rule", b.name.range, b.nameText, first) }
            symbols.rules.append(RuleClauses(b, file: file, diagnostics: &diagnostics))
        case .derive:
            if let first = Checker.firstDeclaration(of: b, in: &ruleIDs) { duplicate("rule", b.name.range, b.nameText, first) }
            let d = DeriveClauses(b, file: file, diagnostics: &diagnostics)
            if let l = d.addTo { symbols.derivedBy[l.name, default: []].append(d.id.name) }
            symbols.derives.append(d)
        case .test:
            let key = file + "\u{0}" + b.nameText
            if let first = testNames[key] {
                duplicate("test", b.name.range, b.nameText, first)
            } else {
                testNames[key] = b.name.range
            }
            symbols.tests.append(TestClauses(b, file: file))
        }
    }

    /// Where the block's id was first declared; nil, and the id recorded in `seen`, when this is the first.
    private static func firstDeclaration(of b: Block, in seen: inout [String: SourceRange]) -> SourceRange? {
        if let first = seen[b.nameText] { return first }
        seen[b.nameText] = b.name.range
        return nil
    }

    mutating func duplicate(_ what: String, _ id: Ident, _ first: SourceRange) {
        duplicate(what, id.range, id.name, first)
    }

    mutating func duplicate(_ what: String, _ range: SourceRange, _ name: String, _ first: SourceRange) {
        error("check.duplicateID", range, "duplicate \(what) '\(name)'", hint: "first declared at \(first)")
    }

    // MARK: references

    /// Reports every reference to an unknown department, list, measure, role or field.
    mutating func checkNames() {
        for (_, l) in symbols.lists.sorted(by: { $0.key < $1.key }) {
            if let o = l.owner { requireDepartment(o) }
        }
        for m in symbols.memoranda {
            m.signedBy.forEach { requireDepartment($0) }
            m.targets.forEach { requireList($0) }
        }
        for (_, d) in symbols.departments.sorted(by: { $0.key < $1.key }) {
            if let s = d.successor { requireDepartment(s) }
            if d.successor != nil && d.until == nil {
                error("check.missingClause", d.id.range, "department '\(d.id.name)' names a successor but not the day it ceased ('until yyyy-mm-dd')")
            }
        }
        checkSuccessorCycles()
        for m in symbols.measures {
            m.departments.forEach { requireDepartment($0) }
            m.cooperating.forEach { requireDepartment($0) }
            for b in m.basic where symbols.basics[b.name] == nil {
                error("check.unknownBasic", b.range, "'\(b.name)' is not a measure of the national basic list",
                      hint: didYouMean(b.name, symbols.basics.keys) ?? "declare it with 'basic \(b.name) \"…\"' in rules/_basic_list.rules")
            }
        }
        for r in symbols.rules {
            r.apply?.forEach { requireMeasure($0) }
            for id in r.to ?? [] where id.name != "subject" && !Vocabulary.roles.contains(id.name)
                && !(id.name.hasPrefix("named ") && Vocabulary.roles.contains(String(id.name.dropFirst(6)))) {
                error("check.unknownRole", id.range, "unknown role '\(id.name)'",
                      hint: didYouMean(id.name, Vocabulary.roles + ["subject"]) ?? "use 'subject' or one of: \(Vocabulary.roles.joined(separator: ", "))")
            }
        }
        for d in symbols.derives { if let l = d.addTo { requireList(l) } }
        for c in conditions {
            checkNames(in: c.condition)
            checkVerifiedPlacement(c.condition, guarded: false)
        }
        for r in symbols.rules { checkWindow(r.appliesFrom, r.appliesBefore, ruleID: r.id.name) }
        for d in symbols.derives { checkWindow(d.appliesFrom, d.appliesBefore, ruleID: d.id.name) }
        checkBasicList()
    }

    /// An unknown `verified` fact holds "to verify"; under `or` or `not` it would make the rule
    /// fire for every subject (or none), so it may only be a conjunct beside a triggering fact.
    private mutating func checkVerifiedPlacement(_ c: Condition, guarded: Bool) {
        switch c {
        case .and(let xs): xs.forEach { checkVerifiedPlacement($0, guarded: guarded) }
        case .or(let xs): xs.forEach { checkVerifiedPlacement($0, guarded: true) }
        case .not(let x, _): checkVerifiedPlacement(x, guarded: true)
        case .keyPerson(_, let x, _), .holds(_, let x, _): checkVerifiedPlacement(x, guarded: guarded)
        case .verified(_, let fact, let range) where guarded:
            error("check.verifiedPlacement", range, "'verified \(fact.name)' under 'or' or 'not': while unverified it would hold for every subject",
                  hint: "make it a conjunct of the rule's condition: 'listed … and verified \(fact.name)'")
        default: break
        }
    }

    private mutating func checkWindow(_ from: DateLit?, _ before: DateLit?, ruleID: String) {
        if let f = from?.day, let b = before?.day, b <= f, let range = before?.range {
            error("check.neverFires", range, "rule '\(ruleID)' applies to facts from \(f) and before \(b): no fact can trigger it")
        }
    }

    /// Once the national basic list is declared, every measure a punishment rule applies must name
    /// the basic-list measure it implements: a punishment outside the list has no footing.
    private mutating func checkBasicList() {
        guard !symbols.basics.isEmpty else { return }
        let punitive = Set(symbols.rules.filter { $0.effect?.isPunishment == true }.flatMap { ($0.apply ?? []).map(\.name) })
        for m in symbols.measures where m.basic.isEmpty && punitive.contains(m.id.name) {
            warning("check.notInBasicList", m.id.range, "punitive measure '\(m.id.name)' names no measure of the national basic list",
                    hint: "add 'basic <id>' with one of: \(symbols.basics.keys.sorted().joined(separator: ", "))")
        }
    }

    private mutating func checkNames(in condition: Condition) {
        for node in condition.allNodes {
            switch node {
            case .listed(let l, _, _, _):
                requireList(l)
            case .penalty(_, let filter, _):
                requireFields(filter, Vocabulary.penaltyFields, what: "penalty")
            case .revokedLicence(_, let filter, _):
                requireFields(filter, Vocabulary.licenceFields, what: "licence")
            case .keyPerson(let role, _, _), .holds(let role, _, _):
                if !Vocabulary.roles.contains(role.name) {
                    error("check.unknownRole", role.range, "unknown role '\(role.name)'", hint: didYouMean(role.name, Vocabulary.roles))
                }
            case .compare(.field(let f), _, _, _, _) where Vocabulary.subjectFields[f.name] == nil:
                error("check.unknownField", f.range, "unknown field '\(f.name)'",
                      hint: didYouMean(f.name, Vocabulary.conditionWords) ?? "a condition starts with one of: \(Vocabulary.conditionWords.joined(separator: ", "))")
            case .compare(.aggregate(_, let filter, _), _, _, _, _):
                requireFields(filter, Vocabulary.penaltyFields, what: "penalty")
            case .verified(_, let fact, _) where Vocabulary.verifiableFacts[fact.name] == nil:
                error("check.unknownFact", fact.range, "'\(fact.name)' is not a fact a feed or officer can verify",
                      hint: didYouMean(fact.name, Vocabulary.verifiableFacts.keys)
                          ?? "one of: \(Vocabulary.verifiableFacts.keys.sorted().joined(separator: ", "))")
            default:
                break
            }
        }
    }

    private mutating func requireFields(_ terms: [FilterTerm], _ fields: [String: Vocabulary.FieldType], what: String) {
        for t in terms where fields[t.field.name] == nil {
            error("check.unknownField", t.field.range, "unknown \(what) field '\(t.field.name)'",
                  hint: didYouMean(t.field.name, fields.keys) ?? "a \(what) has: \(fields.keys.sorted().joined(separator: ", "))")
        }
    }

    /// A department may not be, directly or not, its own successor.
    private mutating func checkSuccessorCycles() {
        for (_, d) in symbols.departments.sorted(by: { $0.key < $1.key }) {
            var seen: Set<String> = [d.id.name]
            var next = d.successor
            while let n = next, let dep = symbols.departments[n.name] {
                if !seen.insert(n.name).inserted {
                    error("check.successorCycle", d.id.range, "department '\(d.id.name)' is, directly or not, its own successor")
                    break
                }
                next = dep.successor
            }
        }
    }

    mutating func requireDepartment(_ id: Ident) {
        if symbols.departments[id.name] == nil {
            error("check.unknownDepartment", id.range, "unknown department '\(id.name)'", hint: didYouMean(id.name, symbols.departments.keys))
        }
    }

    mutating func requireList(_ id: Ident) {
        if symbols.lists[id.name] == nil {
            error("check.unknownList", id.range, "unknown list '\(id.name)'", hint: didYouMean(id.name, symbols.lists.keys))
        }
    }

    mutating func requireMeasure(_ id: Ident) {
        if symbols.measureIDs[id.name] == nil {
            error("check.unknownMeasure", id.range, "unknown measure '\(id.name)'", hint: didYouMean(id.name, symbols.measureIDs.keys))
        }
    }
}
