/// Recursive-descent parser of rule files.
///
/// It reports every syntax error it can find in one run: after an error it skips to the next
/// clause (a known keyword at the start of a line) or item, so later errors are still seen.
/// The grammar is in `docs/rules-language.md`.
struct Parser {
    struct Failure: Error {}

    private var tokens: [Token]
    private var p = 0
    private var comments: [Comment]
    private var ci = 0
    private let file: String
    private var depth = 0
    private(set) var diagnostics: [Diagnostic] = []

    static let topLevelKeywords: Set<String> = ["memorandum", "department", "list", "basic", "measure", "rule", "derive", "test"]
    static let clauseKeywords: [BlockKind: [String]] = [
        .memorandum: ["title", "date", "signatories", "signed_by", "targets", "revises", "unconfirmed", "note"],
        .measure: ["text", "item", "department", "cooperating", "basis", "basic", "category", "financial", "unconfirmed", "note"],
        .rule: ["title", "punish", "reward", "apply", "to", "for", "while", "until", "despite", "applies_from", "applies_before",
                "unconfirmed", "note"],
        .derive: ["title", "when", "add", "for", "while", "until", "applies_from", "applies_before", "unconfirmed", "note"],
        .test: ["subject", "expect", "note"],
    ]
    static let factOptionKeys: Set<String> = ["from", "until", "ground", "record", "year", "published", "on", "type",
                                              "fine", "severity", "repaired", "revoked", "since", "authority"]
    static let textClauses: Set<String> = ["title", "text", "item", "basis", "revises", "unconfirmed", "note"]
    static let maxDepth = 64

    /// Parses one file; the tree is complete as far as the text allowed.
    static func parse(_ text: String, file: String) -> (FileAST, [Diagnostic]) {
        let lexed = Lexer.lex(text, file: file)
        var parser = Parser(tokens: lexed.tokens, comments: lexed.comments, file: file)
        parser.diagnostics = lexed.diagnostics
        let ast = parser.parseFile()
        return (ast, Diagnostic.sorted(parser.diagnostics))
    }

    private init(tokens: [Token], comments: [Comment], file: String) {
        self.tokens = tokens; self.comments = comments; self.file = file
    }

    // MARK: tokens

    private var cur: Token { tokens[min(p, tokens.count - 1)] }
    private var prev: Token { tokens[max(0, min(p - 1, tokens.count - 1))] }
    private func peek(_ k: Int) -> Token { tokens[min(p + k, tokens.count - 1)] }
    private mutating func bump() -> Token { let t = cur; if p < tokens.count - 1 { p += 1 }; return t }
    private var atLineStart: Bool { p == 0 || cur.range.start.line > prev.range.end.line }

    private mutating func fail(_ what: String, hint: String? = nil) -> Failure {
        diagnostics.append(Diagnostic("parse.expected", at: cur.range, "expected \(what), found \(cur.display)", hint: hint))
        return Failure()
    }

    private mutating func expect(_ kind: Token.Kind, _ what: String) throws(Failure) -> Token {
        guard cur.kind == kind else { throw fail(what) }
        return bump()
    }

    private mutating func expectWord(_ w: String) throws(Failure) -> Token {
        guard cur.isWord(w) else { throw fail("'\(w)'") }
        return bump()
    }

    private mutating func ident(_ what: String) throws(Failure) -> Ident {
        guard cur.kind == .ident else { throw fail(what) }
        let t = bump()
        return Ident(name: t.text, range: t.range)
    }

    private mutating func string(_ what: String) throws(Failure) -> StringLit {
        guard cur.kind == .string else { throw fail(what) }
        let t = bump()
        return StringLit(value: t.text, range: t.range)
    }

    private mutating func date(_ what: String = "a date (yyyy-mm-dd)") throws(Failure) -> DateLit {
        guard cur.kind == .date else { throw fail(what) }
        let t = bump()
        let d = DateLit(text: t.text, range: t.range)
        if d.day == nil {
            diagnostics.append(Diagnostic("parse.invalidDate", at: t.range, "'\(t.text)' is not a calendar date", hint: "write dates as yyyy-mm-dd"))
        }
        return d
    }

    private mutating func number(_ what: String) throws(Failure) -> NumberLit {
        guard cur.kind == .number else { throw fail(what) }
        let t = bump()
        return NumberLit(text: t.text, range: t.range)
    }

    /// `subject`, roles, and `named ROLE` (the persons the case itself names in that role); a
    /// `named` target is kept as one identifier `named ROLE`.
    private mutating func targetList() throws(Failure) -> [Ident] {
        var out: [Ident] = []
        repeat {
            if !out.isEmpty { _ = bump() }
            if cur.isWord("named") {
                let kw = bump()
                let role = try ident("a role the case names (legal_representative, finance_chief, directly_responsible, …)")
                out.append(Ident(name: "named " + role.name, range: kw.range.union(role.range)))
            } else {
                out.append(try ident("'subject', a role or 'named' and a role"))
            }
        } while cur.kind == .comma
        return out
    }

    private mutating func identList(_ what: String) throws(Failure) -> [Ident] {
        var out = [try ident(what)]
        while cur.kind == .comma {
            _ = bump()
            out.append(try ident(what))
        }
        return out
    }

    // MARK: comments

    private mutating func takeLeading(before offset: Int) -> [Comment] {
        var out: [Comment] = []
        while ci < comments.count && comments[ci].range.start.offset < offset {
            out.append(comments[ci]); ci += 1
        }
        return out
    }

    private mutating func takeTrailing(line: Int) -> Comment? {
        guard ci < comments.count, comments[ci].range.start.line == line,
              comments[ci].range.start.offset >= prev.range.end.offset else { return nil }
        defer { ci += 1 }
        return comments[ci]
    }

    // MARK: file and items

    private mutating func parseFile() -> FileAST {
        var items: [Item] = []
        while cur.kind != .eof {
            let leading = takeLeading(before: cur.range.start.offset)
            let start = p
            do {
                var item = try parseItem()
                let startLine = tokens[start].range.start.line
                var split = 0
                for (k, c) in leading.enumerated() {
                    let nextLine = k + 1 < leading.count ? leading[k + 1].range.start.line : startLine
                    if nextLine > c.range.start.line + 1 { split = k + 1 }
                }
                item.trivia.detached = Array(leading[..<split])
                item.trivia.leading = Array(leading[split...])
                item.trivia.trailing = takeTrailing(line: prev.range.end.line)
                items.append(item)
            } catch {
                if p == start { _ = bump() }
                while cur.kind != .eof && !(cur.kind == .ident && Parser.topLevelKeywords.contains(cur.text) && cur.range.start.column == 1) {
                    _ = bump()
                }
            }
        }
        let trailing = takeLeading(before: Int.max)
        return FileAST(path: file, items: items, trailing: trailing)
    }

    private mutating func parseItem() throws(Failure) -> Item {
        let startTok = cur
        guard cur.kind == .ident, Parser.topLevelKeywords.contains(cur.text) else {
            throw fail("'memorandum', 'department', 'list', 'basic', 'measure', 'rule', 'derive' or 'test'")
        }
        let kw = bump()
        let kwIdent = Ident(name: kw.text, range: kw.range)
        switch kw.text {
        case "department":
            let id = try ident("a department id")
            let name = try string("the department's name in quotes")
            var until: DateLit?
            var successor: Ident?
            while true {
                if cur.isWord("until") { _ = bump(); until = try date() }
                else if cur.isWord("successor") { _ = bump(); successor = try ident("the id of the department that took over its duties") }
                else { break }
            }
            return Item(trivia: Trivia(), kind: .department(id: id, name: name, until: until, successor: successor),
                        range: startTok.range.union(prev.range))
        case "basic":
            let id = try ident("an id for the basic-list measure")
            let name = try string("the measure as the basic list words it, in quotes")
            var item: StringLit?
            if cur.isWord("item") { _ = bump(); item = try string("the item number in the basic list, in quotes") }
            return Item(trivia: Trivia(), kind: .basic(id: id, name: name, item: item), range: startTok.range.union(prev.range))
        case "list":
            let id = try ident("a list id")
            let name = try string("the list's name in quotes")
            var owner: Ident?
            var fed = false
            var authoritative = false
            while true {
                if cur.isWord("owner") { _ = bump(); owner = try ident("the owning department's id") }
                else if cur.isWord("fed") { _ = bump(); fed = true }
                else if cur.isWord("authoritative") { _ = bump(); authoritative = true }
                else { break }
            }
            return Item(trivia: Trivia(), kind: .list(id: id, name: name, owner: owner, fed: fed, authoritative: authoritative),
                        range: startTok.range.union(prev.range))
        default:
            let kind = BlockKind(rawValue: kw.text)!
            let name: Value
            switch kind {
            case .memorandum: name = .string(try string("the memorandum's document number in quotes, e.g. \"发改财金〔2016〕141号\""))
            case .test: name = .string(try string("the test's name in quotes"))
            default: name = .ident(try ident("an id for the \(kind.rawValue)"))
            }
            let block = try parseBlockBody(kind: kind, keyword: kwIdent, name: name)
            return Item(trivia: Trivia(), kind: .block(block), range: startTok.range.union(prev.range))
        }
    }

    private mutating func parseBlockBody(kind: BlockKind, keyword: Ident, name: Value) throws(Failure) -> Block {
        let open = try expect(.lbrace, "'{'")
        let openTrailing = takeTrailing(line: open.range.end.line)
        var clauses: [Clause] = []
        let allowed = Parser.clauseKeywords[kind] ?? []
        while cur.kind != .rbrace && cur.kind != .eof {
            if cur.kind == .ident && Parser.topLevelKeywords.contains(cur.text) && cur.range.start.column == 1
                && !allowed.contains(cur.text) {
                break // a new item: the '}' is missing
            }
            let leading = takeLeading(before: cur.range.start.offset)
            let start = p
            do {
                let (k, r) = try parseClause(kind)
                let trailing = takeTrailing(line: prev.range.end.line)
                clauses.append(Clause(trivia: Trivia(leading: leading, trailing: trailing), kind: k, range: r))
            } catch {
                recoverInBlock(kind, from: start)
            }
        }
        let closing = takeLeading(before: cur.range.start.offset)
        _ = try expect(.rbrace, "'}' to close the \(kind.rawValue)")
        return Block(kind: kind, keyword: keyword, name: name, openTrailing: openTrailing, clauses: clauses, closing: closing)
    }

    private mutating func recoverInBlock(_ kind: BlockKind, from start: Int) {
        if p == start { _ = bump() }
        let allowed = Set(Parser.clauseKeywords[kind] ?? [])
        var nest = 0
        while cur.kind != .eof {
            if cur.kind == .lbrace { nest += 1 }
            if cur.kind == .rbrace {
                if nest == 0 { return }
                nest -= 1
            }
            if nest == 0 && atLineStart && cur.kind == .ident && (allowed.contains(cur.text) || (Parser.topLevelKeywords.contains(cur.text) && cur.range.start.column == 1)) {
                return
            }
            _ = bump()
        }
    }

    // MARK: clauses

    private mutating func parseClause(_ kind: BlockKind) throws(Failure) -> (ClauseKind, SourceRange) {
        let allowed = Parser.clauseKeywords[kind] ?? []
        guard cur.kind == .ident else { throw fail("a clause of the \(kind.rawValue) (\(allowed.joined(separator: ", ")))") }
        guard allowed.contains(cur.text) else {
            let hint = Suggest.closest(cur.text, in: allowed).map { "did you mean '\($0)'?" } ?? "a \(kind.rawValue) may contain: \(allowed.joined(separator: ", "))"
            diagnostics.append(Diagnostic("parse.unknownClause", at: cur.range, "'\(cur.text)' is not a clause of a \(kind.rawValue)", hint: hint))
            throw Failure()
        }
        let kwTok = bump()
        let key = Ident(name: kwTok.text, range: kwTok.range)
        let k: ClauseKind
        switch key.name {
        case _ where Parser.textClauses.contains(key.name):
            k = .text(key, try string("text in quotes"))
        case "date", "applies_from", "applies_before":
            k = .date(key, try date())
        case "signatories":
            k = .number(key, try number("the number of signatories"))
        case "to":
            k = .idents(key, try targetList())
        case "signed_by", "targets", "apply", "cooperating":
            k = .idents(key, try identList(key.name == "targets" ? "a list id" : key.name == "apply" ? "a measure id" : "a department id"))
        case "department", "category", "basic":
            k = .idents(key, [try ident(key.name == "department" ? "a department id"
                                        : key.name == "basic" ? "the id of a measure of the national basic list"
                                        : "a category (administrative, market, sector, social)")])
        case "financial":
            k = .flag(key)
        case "despite":
            _ = try expectWord("punishment")
            k = .flag(key)
        case "punish", "reward":
            _ = try expectWord("when")
            k = .condition(key, try parseCondition())
        case "when":
            k = .condition(key, try parseCondition())
        case "add":
            _ = try expectWord("to")
            k = .addTo(key, try ident("a list id"))
        case "for", "while", "until":
            k = .duration(key, try parseDuration(key))
        case "subject":
            k = .subject(key, try parseSubject())
        case "expect":
            k = .expect(key, try parseExpectation())
        default:
            throw fail("a clause")
        }
        return (k, kwTok.range.union(prev.range))
    }

    private mutating func parsePeriod() throws(Failure) -> PeriodLit {
        let n = try number("a number of days, months or years")
        guard let amount = n.intValue, amount >= 0, amount < 1000 else {
            diagnostics.append(Diagnostic("parse.invalidNumber", at: n.range, "a period must be a whole number below 1000"))
            throw Failure()
        }
        guard cur.kind == .ident else { throw fail("'days', 'months' or 'years'") }
        let unit: PeriodUnit
        switch cur.text {
        case "day", "days": unit = .day
        case "month", "months": unit = .month
        case "year", "years": unit = .year
        default: throw fail("'days', 'months' or 'years'")
        }
        let u = bump()
        return PeriodLit(amount: amount, unit: unit, range: n.range.union(u.range))
    }

    private mutating func parseDuration(_ key: Ident) throws(Failure) -> DurationSpec {
        switch key.name {
        case "while":
            _ = try expectWord("held")
            return .whileHeld
        case "until":
            if cur.isWord("exit") { _ = bump(); return .untilExit }
            if cur.isWord("repaired") { _ = bump(); return .untilRepaired }
            throw fail("'exit' or 'repaired'")
        default:
            if cur.isWord("publicity") {
                _ = bump()
                var bands: [PublicityBand] = []
                repeat {
                    if !bands.isEmpty { _ = bump() }
                    let sev = try ident("a severity (general, serious, minor)")
                    let lo = try parsePeriod()
                    _ = try expectWord("to")
                    let hi = try parsePeriod()
                    bands.append(PublicityBand(severity: sev, minimum: lo, maximum: hi))
                } while cur.kind == .comma
                return .publicity(bands)
            }
            let period = try parsePeriod()
            if cur.isWord("or") {
                _ = bump()
                _ = try expectWord("until")
                _ = try expectWord("exit")
                return .fixed(period, orUntilExit: true)
            }
            return .fixed(period, orUntilExit: false)
        }
    }

    // MARK: conditions

    mutating func parseCondition() throws(Failure) -> Condition {
        depth += 1
        defer { depth -= 1 }
        guard depth < Parser.maxDepth else {
            diagnostics.append(Diagnostic("parse.tooDeep", at: cur.range, "condition is nested too deeply"))
            throw Failure()
        }
        var parts = [try parseAnd()]
        while cur.isWord("or") {
            _ = bump()
            parts.append(try parseAnd())
        }
        if parts.count == 1 { return parts[0] }
        return .or(parts.flatMap { if case .or(let xs) = $0 { xs } else { [$0] } })
    }

    private mutating func parseAnd() throws(Failure) -> Condition {
        var parts = [try parseUnary()]
        while cur.isWord("and") {
            _ = bump()
            parts.append(try parseUnary())
        }
        if parts.count == 1 { return parts[0] }
        return .and(parts.flatMap { if case .and(let xs) = $0 { xs } else { [$0] } })
    }

    private mutating func parseUnary() throws(Failure) -> Condition {
        if cur.isWord("not") {
            let t = bump()
            depth += 1
            defer { depth -= 1 }
            guard depth < Parser.maxDepth else {
                diagnostics.append(Diagnostic("parse.tooDeep", at: cur.range, "condition is nested too deeply"))
                throw Failure()
            }
            let inner = try parseUnary()
            return .not(inner, t.range.union(inner.range))
        }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws(Failure) -> Condition {
        let start = cur
        if cur.kind == .lparen {
            _ = bump()
            let c = try parseCondition()
            _ = try expect(.rparen, "')'")
            return c
        }
        guard cur.kind == .ident else { throw fail("a condition (listed, penalty, kind, status, latest_grade, …)") }
        switch cur.text {
        case "listed":
            _ = bump()
            let list = try ident("a list id")
            var grounds: Value?
            var atLeast: PeriodLit?
            if cur.isWord("ground") {
                _ = bump()
                if cur.isWord("in") { _ = bump(); grounds = try parseValue() } else { grounds = try parseValue() }
            }
            if cur.isWord("at") {
                _ = bump()
                _ = try expectWord("least")
                atLeast = try parsePeriod()
            }
            return .listed(list: list, grounds: grounds, atLeast: atLeast, range: start.range.union(prev.range))
        case "penalty", "revoked_licence":
            let kw = bump()
            let k = Ident(name: kw.text, range: kw.range)
            let filter = cur.kind == .lparen ? try parseFilter() : []
            let r = start.range.union(prev.range)
            return kw.text == "penalty" ? .penalty(keyword: k, filter: filter, range: r) : .revokedLicence(keyword: k, filter: filter, range: r)
        case "key_person", "holds":
            let kw = bump()
            let role = try ident("a role (legal_representative, finance_chief, …)")
            _ = try expect(.lparen, "'(' and a condition on the related subject")
            let inner = try parseCondition()
            _ = try expect(.rparen, "')'")
            let r = start.range.union(prev.range)
            return kw.text == "key_person" ? .keyPerson(role: role, inner: inner, range: r) : .holds(role: role, inner: inner, range: r)
        case "verified":
            let kw = bump()
            let fact = try ident("a fact to verify (\(Vocabulary.verifiableFacts.keys.sorted().joined(separator: ", ")))")
            return .verified(keyword: Ident(name: kw.text, range: kw.range), fact: fact, range: start.range.union(prev.range))
        case "grade":
            let kw = bump()
            _ = try expect(.lparen, "'(' and a year, e.g. grade(2019)")
            let year = try number("a year")
            _ = try expect(.rparen, "')'")
            return try parseComparison(.gradeOf(Ident(name: kw.text, range: kw.range), year), start)
        case "count", "total_fine":
            let kw = bump()
            _ = try expect(.lparen, "'('")
            _ = try expectWord("penalty")
            let filter = cur.kind == .lparen ? try parseFilter() : []
            _ = try expectWord("within")
            let window = try parsePeriod()
            _ = try expect(.rparen, "')'")
            return try parseComparison(.aggregate(Ident(name: kw.text, range: kw.range), filter: filter, within: window), start)
        default:
            let f = bump()
            return try parseComparison(.field(Ident(name: f.text, range: f.range)), start)
        }
    }

    private mutating func parseOp() throws(Failure) -> (CompareOp, SourceRange) {
        let t = cur
        let op: CompareOp
        switch t.kind {
        case .eq: op = .eq
        case .ne: op = .ne
        case .lt: op = .lt
        case .le: op = .le
        case .gt: op = .gt
        case .ge: op = .ge
        case .ident where t.text == "in": op = .in
        default: throw fail("a comparison (=, !=, <, <=, >, >=, in)")
        }
        _ = bump()
        return (op, t.range)
    }

    private mutating func parseComparison(_ lhs: Operand, _ start: Token) throws(Failure) -> Condition {
        let (op, opRange) = try parseOp()
        let v = try parseValue()
        return .compare(lhs, op, opRange: opRange, v, range: start.range.union(prev.range))
    }

    private mutating func parseFilter() throws(Failure) -> [FilterTerm] {
        _ = try expect(.lparen, "'('")
        var terms: [FilterTerm] = []
        if cur.kind != .rparen {
            repeat {
                if !terms.isEmpty { _ = bump() }
                let f = try ident("a field (type, severity, fine, authority)")
                let (op, opRange) = try parseOp()
                let v = try parseValue()
                terms.append(FilterTerm(field: f, op: op, opRange: opRange, value: v, range: f.range.union(prev.range)))
            } while cur.isWord("and")
        }
        _ = try expect(.rparen, "')'")
        return terms
    }

    mutating func parseValue() throws(Failure) -> Value {
        let t = cur
        switch t.kind {
        case .ident: _ = bump(); return .ident(Ident(name: t.text, range: t.range))
        case .string: _ = bump(); return .string(StringLit(value: t.text, range: t.range))
        case .number: _ = bump(); return .number(NumberLit(text: t.text, range: t.range))
        case .date: return .date(try date())
        case .lbracket:
            _ = bump()
            var items: [Value] = []
            while cur.kind != .rbracket {
                if !items.isEmpty { _ = try expect(.comma, "',' or ']'") }
                let v = cur
                guard v.kind == .ident || v.kind == .string || v.kind == .number || v.kind == .date else { throw fail("a value") }
                items.append(try parseValue())
            }
            let close = bump()
            return .list(items, t.range.union(close.range))
        default:
            throw fail("a value")
        }
    }

    // MARK: tests

    private mutating func parseSubject() throws(Failure) -> SubjectDecl {
        let alias = try ident("a short name for the subject, e.g. acme")
        let code = try string("the subject's code in quotes")
        let kind = try ident("a subject kind (enterprise, natural_person, …)")
        var name: StringLit?
        if cur.kind == .string { name = try string("a name") }
        var facts: [FactLine] = []
        var hasBlock = false
        var openTrailing: Comment?
        var closing: [Comment] = []
        if cur.kind == .lbrace {
            hasBlock = true
            let open = bump()
            openTrailing = takeTrailing(line: open.range.end.line)
            while cur.kind != .rbrace && cur.kind != .eof {
                let leading = takeLeading(before: cur.range.start.offset)
                let start = p
                do {
                    var f = try parseFact()
                    f.trivia = Trivia(leading: leading, trailing: takeTrailing(line: prev.range.end.line))
                    facts.append(f)
                } catch {
                    if p == start { _ = bump() }
                    while cur.kind != .eof && cur.kind != .rbrace && !atLineStart { _ = bump() }
                }
            }
            closing = takeLeading(before: cur.range.start.offset)
            _ = try expect(.rbrace, "'}' to close the subject's facts")
        }
        return SubjectDecl(alias: alias, code: code, kind: kind, name: name, facts: facts, hasBlock: hasBlock,
                           openTrailing: openTrailing, closing: closing)
    }

    private mutating func parseFact() throws(Failure) -> FactLine {
        let head = try ident("a fact (listed, grade, penalty, licence, status, or a role such as legal_representative)")
        let arg = try parseValue()
        var options: [FactOption] = []
        while cur.kind == .ident && Parser.factOptionKeys.contains(cur.text) {
            let k = bump()
            var values = [try parseValue()]
            while cur.kind == .comma {
                _ = bump()
                values.append(try parseValue())
            }
            options.append(FactOption(key: Ident(name: k.text, range: k.range), values: values))
        }
        return FactLine(trivia: Trivia(), head: head, argument: arg, options: options, range: head.range.union(prev.range))
    }

    private mutating func parseExpectation() throws(Failure) -> Expectation {
        let subject = try ident("a subject's short name")
        _ = try expectWord("on")
        let day = try date()
        let positive: Bool
        if cur.isWord("has") { positive = true } else if cur.isWord("lacks") { positive = false } else { throw fail("'has' or 'lacks'") }
        _ = bump()
        var measures: [Ident] = []
        if cur.isWord("nothing") { _ = bump() } else { measures = try identList("a measure id or 'nothing'") }
        var via: Ident?
        var from: DateLit?
        var until: Value?
        var toVerify: Bool?
        var under: StringLit?
        while true {
            if cur.isWord("to") { _ = bump(); _ = try expectWord("verify"); toVerify = true }
            else if cur.isWord("confirmed") { _ = bump(); toVerify = false }
            else if cur.isWord("under") { _ = bump(); under = try string("a memorandum's document number in quotes") }
            else if cur.isWord("via") { _ = bump(); via = try ident("a subject's short name") }
            else if cur.isWord("from") { _ = bump(); from = try date() }
            else if cur.isWord("until") {
                _ = bump()
                if cur.isWord("open") { let t = bump(); until = .ident(Ident(name: t.text, range: t.range)) }
                else { until = .date(try date("a date or 'open'")) }
            } else { break }
        }
        return Expectation(subject: subject, day: day, positive: positive, measures: measures, via: via, from: from, until: until,
                           toVerify: toVerify, under: under)
    }
}
