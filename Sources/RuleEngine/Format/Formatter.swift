/// The canonical layout of rule files: `fmt(fmt(x)) == fmt(x)`, comments kept.
///
/// Layout: two-space indentation; one clause per line; a blank line between items, except
/// between consecutive `department` or `list` lines; conditions on one line with only the
/// parentheses precedence needs (`and` binds tighter than `or`).
///
/// ```swift
/// let (text, diagnostics) = RuleFormatter.format(source, path: "rules/tax.rules")
/// ```
public enum RuleFormatter {
    /// Formats one file. Returns nil text when the file has syntax errors (listed in the diagnostics).
    public static func format(_ source: String, path: String) -> (text: String?, diagnostics: [Diagnostic]) {
        let (ast, diags) = Parser.parse(source, file: path)
        if diags.hasErrors { return (nil, diags) }
        return (print(ast), diags)
    }

    static func print(_ ast: FileAST) -> String {
        var p = Printer()
        p.file(ast)
        return p.out
    }

    /// One condition on one line, as the formatter prints it (used by explanations).
    static func text(of c: Condition) -> String { Printer.cond(c, 0) }

    static func text(of v: Value) -> String { Printer.value(v) }

    static func clauseText(_ k: ClauseKind) -> String { Printer.clause(k) }

    static func text(of d: DurationSpec, keyword: String) -> String { Printer.duration(keyword, d) }
}

private struct Printer {
    var out = ""

    mutating func line(_ indent: Int, _ text: String, trailing: Comment? = nil) {
        out += String(repeating: "  ", count: indent) + text
        if let t = trailing { out += (text.isEmpty ? "" : " ") + t.text }
        out += "\n"
    }

    mutating func comments(_ cs: [Comment], _ indent: Int) {
        for c in cs { line(indent, c.text) }
    }

    static func isSingleLine(_ k: ItemKind) -> String? {
        switch k {
        case .department: "department"
        case .list: "list"
        case .basic: "basic"
        case .block: nil
        }
    }

    mutating func file(_ ast: FileAST) {
        var previous: Item?
        for item in ast.items {
            if let prev = previous {
                let a = Printer.isSingleLine(prev.kind), b = Printer.isSingleLine(item.kind)
                if !(a != nil && a == b && item.trivia.leading.isEmpty && item.trivia.detached.isEmpty) { out += "\n" }
            }
            if !item.trivia.detached.isEmpty {
                comments(item.trivia.detached, 0)
                out += "\n"
            }
            comments(item.trivia.leading, 0)
            switch item.kind {
            case .department(let id, let name, let until, let successor):
                var s = "department \(id.name) \(Printer.quote(name.value))"
                if let u = until { s += " until \(u.text)" }
                if let n = successor { s += " successor \(n.name)" }
                line(0, s, trailing: item.trivia.trailing)
            case .list(let id, let name, let owner, let fed, let authoritative):
                var s = "list \(id.name) \(Printer.quote(name.value))"
                if let o = owner { s += " owner \(o.name)" }
                if fed { s += " fed" }
                if authoritative { s += " authoritative" }
                line(0, s, trailing: item.trivia.trailing)
            case .basic(let id, let name, let number):
                var s = "basic \(id.name) \(Printer.quote(name.value))"
                if let n = number { s += " item \(Printer.quote(n.value))" }
                line(0, s, trailing: item.trivia.trailing)
            case .block(let b):
                block(b, trailing: item.trivia.trailing)
            }
            previous = item
        }
        if !ast.trailing.isEmpty {
            if !ast.items.isEmpty { out += "\n" }
            comments(ast.trailing, 0)
        }
    }

    mutating func block(_ b: Block, trailing: Comment?) {
        line(0, "\(b.keyword.name) \(Printer.value(b.name)) {", trailing: b.openTrailing)
        for c in b.clauses {
            comments(c.trivia.leading, 1)
            if case .subject(_, let s) = c.kind {
                subject(s, trailing: c.trivia.trailing)
            } else {
                line(1, Printer.clause(c.kind), trailing: c.trivia.trailing)
            }
        }
        comments(b.closing, 1)
        line(0, "}", trailing: trailing)
    }

    mutating func subject(_ s: SubjectDecl, trailing: Comment?) {
        var head = "subject \(s.alias.name) \(Printer.quote(s.code.value)) \(s.kind.name)"
        if let n = s.name { head += " " + Printer.quote(n.value) }
        if s.facts.isEmpty && s.closing.isEmpty && s.openTrailing == nil {
            line(1, head, trailing: trailing)
            return
        }
        line(1, head + " {", trailing: s.openTrailing)
        for f in s.facts {
            comments(f.trivia.leading, 2)
            var t = "\(f.head.name) \(Printer.value(f.argument))"
            for o in f.options { t += " \(o.key.name) " + o.values.map(Printer.value).joined(separator: ", ") }
            line(2, t, trailing: f.trivia.trailing)
        }
        comments(s.closing, 2)
        line(1, "}", trailing: trailing)
    }

    static func clause(_ k: ClauseKind) -> String {
        switch k {
        case .text(let key, let s): return "\(key.name) \(quote(s.value))"
        case .date(let key, let d): return "\(key.name) \(d.text)"
        case .number(let key, let n): return "\(key.name) \(n.text)"
        case .idents(let key, let ids): return "\(key.name) " + ids.map(\.name).joined(separator: ", ")
        case .flag(let key): return key.name == "despite" ? "despite punishment" : key.name
        case .condition(let key, let c): return key.name == "when" ? "when \(cond(c, 0))" : "\(key.name) when \(cond(c, 0))"
        case .addTo(_, let l): return "add to \(l.name)"
        case .duration(let key, let d): return duration(key.name, d)
        case .subject: return ""
        case .expect(_, let e):
            var s = "expect \(e.subject.name) on \(e.day.text) \(e.positive ? "has" : "lacks") "
            s += e.measures.isEmpty ? "nothing" : e.measures.map(\.name).joined(separator: ", ")
            if let v = e.via { s += " via \(v.name)" }
            if let f = e.from { s += " from \(f.text)" }
            if let u = e.until { s += " until \(value(u))" }
            if let m = e.under { s += " under \(quote(m.value))" }
            if let t = e.toVerify { s += t ? " to verify" : " confirmed" }
            return s
        }
    }

    static func duration(_ key: String, _ d: DurationSpec) -> String {
        switch d {
        case .whileHeld: return "while held"
        case .untilExit: return "until exit"
        case .untilRepaired: return "until repaired"
        case .fixed(let p, let exit): return "for \(p.text)" + (exit ? " or until exit" : "")
        case .publicity(let bands):
            return "for publicity " + bands.map { "\($0.severity.name) \($0.minimum.text) to \($0.maximum.text)" }.joined(separator: ", ")
        }
    }

    static func quote(_ s: String) -> String {
        var o = "\""
        for ch in s {
            switch ch {
            case "\"": o += "\\\""
            case "\\": o += "\\\\"
            case "\n": o += "\\n"
            case "\t": o += "\\t"
            default: o.append(ch)
            }
        }
        return o + "\""
    }

    static func value(_ v: Value) -> String {
        switch v {
        case .ident(let i): i.name
        case .string(let s): quote(s.value)
        case .number(let n): n.text
        case .date(let d): d.text
        case .list(let xs, _): "[" + xs.map(value).joined(separator: ", ") + "]"
        }
    }

    static func filter(_ terms: [FilterTerm]) -> String {
        terms.isEmpty ? "" : "(" + terms.map { "\($0.field.name) \($0.op.rawValue) \(value($0.value))" }.joined(separator: " and ") + ")"
    }

    static func cond(_ c: Condition, _ parent: Int) -> String {
        switch c {
        case .or(let xs):
            let s = xs.map { cond($0, 1) }.joined(separator: " or ")
            return parent > 1 ? "(\(s))" : s
        case .and(let xs):
            let s = xs.map { cond($0, 2) }.joined(separator: " and ")
            return parent > 2 ? "(\(s))" : s
        case .not(let x, _):
            return "not " + cond(x, 3)
        case .listed(let l, let g, let atLeast, _):
            var s = "listed \(l.name)"
            if let g {
                if case .list = g { s += " ground in \(value(g))" } else { s += " ground \(value(g))" }
            }
            if let a = atLeast { s += " at least \(a.text)" }
            return s
        case .penalty(_, let f, _): return "penalty" + filter(f)
        case .revokedLicence(_, let f, _): return "revoked_licence" + filter(f)
        case .compare(let lhs, let op, _, let v, _):
            let l: String
            switch lhs {
            case .field(let f): l = f.name
            case .gradeOf(_, let y): l = "grade(\(y.text))"
            case .aggregate(let fn, let f, let w): l = "\(fn.name)(penalty\(filter(f)) within \(w.text))"
            }
            return "\(l) \(op.rawValue) \(value(v))"
        case .keyPerson(let role, let inner, _): return "key_person \(role.name) (\(cond(inner, 0)))"
        case .holds(let role, let inner, _): return "holds \(role.name) (\(cond(inner, 0)))"
        case .verified(_, let fact, _): return "verified \(fact.name)"
        }
    }
}
