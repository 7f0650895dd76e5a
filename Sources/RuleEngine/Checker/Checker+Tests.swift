// In-file test blocks: subjects, their facts, and expectations.

extension Checker {
    mutating func checkTests() {
        for t in symbols.tests { checkTest(t) }
    }

    private mutating func checkTest(_ t: TestClauses) {
        var aliases: [String: SubjectDecl] = [:]
        for s in t.subjects {
            if let first = aliases[s.alias.name] { duplicate("subject", s.alias, first.alias.range) } else { aliases[s.alias.name] = s }
            if !Vocabulary.subjectKinds.contains(s.kind.name) {
                error("check.unknownValue", s.kind.range, "'\(s.kind.name)' is not a subject kind",
                      hint: didYouMean(s.kind.name, Vocabulary.subjectKinds) ?? "one of: \(Vocabulary.subjectKinds.joined(separator: ", "))")
            }
        }
        for s in t.subjects {
            for f in s.facts { checkFact(f, aliases: aliases) }
        }
        for x in t.expectations {
            let e = x.expectation
            requireSubject(e.subject, aliases)
            if let v = e.via { requireSubject(v, aliases) }
            e.measures.forEach { requireMeasure($0) }
            if case .ident(let i)? = e.until, i.name != "open" {
                error("parse.expected", i.range, "expected a date or 'open'")
            }
        }
        if t.expectations.isEmpty {
            warning("check.emptyTest", t.name.range, "test '\(t.name.name)' has no 'expect'")
        }
    }

    private mutating func requireSubject(_ alias: Ident, _ aliases: [String: SubjectDecl]) {
        if aliases[alias.name] == nil {
            error("check.unknownSubject", alias.range, "unknown subject '\(alias.name)' in this test", hint: didYouMean(alias.name, aliases.keys))
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
        case ("verified", .ident(let v)), ("denied", .ident(let v)):
            if Vocabulary.verifiableFacts[v.name] == nil {
                error("check.unknownFact", v.range, "'\(v.name)' is not a fact to verify",
                      hint: "one of: \(Vocabulary.verifiableFacts.keys.sorted().joined(separator: ", "))")
            }
        case (_, .ident(let a)) where isRole: requireSubject(a, aliases)
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
            for v in o.values where !Checker.fits(v, kind) {
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
        for (name, (_, required)) in spec.sorted(by: { $0.key < $1.key }) where required && !seen.contains(name) {
            error("check.missingClause", f.head.range, "'\(f.head.name)' needs '\(name)'")
        }
    }

    private static func fits(_ v: Value, _ kind: Vocabulary.OptionValue) -> Bool {
        switch (kind, v) {
        case (.date, .date), (.number, .number), (.text, .string), (.texts, .string), (.ground, .number), (.ground, .string): true
        case (.ident, .ident(let i)): Vocabulary.severities.contains(i.name)
        default: false
        }
    }
}
