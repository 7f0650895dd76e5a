/// Checks meaning across all files and collects every error, sorted by location.
///
/// One concern per file:
/// - `Checker+Names.swift`: declarations, duplicate ids, files without a memorandum, unknown
///   departments, lists, measures, roles and fields;
/// - `Checker+Types.swift`: values against the type of what they are compared with, numbers,
///   categories, durations;
/// - `Checker+Reachability.swift`: rules that can never fire (contradictions, roles of natural
///   persons, lists nobody can be on, conditions without a triggering fact), unused measures,
///   derivation cycles;
/// - `Checker+Tests.swift`: in-file test blocks.
///
/// Missing required clauses are reported by the ``Resolver``, which then turns the symbol
/// table into the ``Declarations`` the compiler reads. An error that only follows from another
/// is not repeated.
struct Checker {
    var diagnostics: [Diagnostic] = []
    var symbols = SymbolTable()

    static func check(_ files: [FileAST]) -> (Declarations, [Diagnostic]) {
        var c = Checker()
        c.declare(files.sorted { $0.path < $1.path })
        c.checkNames()
        c.checkTypes()
        c.checkReachability()
        c.checkTests()
        let resolved = Resolver.resolve(c.symbols)
        c.diagnostics += resolved.diagnostics
        // A declaration left out of resolution is explained by an earlier error, if there is one.
        if !c.diagnostics.hasErrors { c.diagnostics += resolved.unresolved }
        return (resolved.declarations, Diagnostic.sorted(c.diagnostics))
    }

    mutating func error(_ code: String, _ range: SourceRange, _ message: String, hint: String? = nil) {
        diagnostics.append(Diagnostic(code, .error, at: range, message, hint: hint))
    }

    mutating func warning(_ code: String, _ range: SourceRange, _ message: String, hint: String? = nil) {
        diagnostics.append(Diagnostic(code, .warning, at: range, message, hint: hint))
    }

    func didYouMean(_ name: String, _ candidates: some Sequence<String>) -> String? {
        Suggest.closest(name, in: candidates).map { "did you mean '\($0)'?" }
    }

    /// The conditions of every rule and derive rule, with the id of the rule and the roles it reaches.
    var conditions: [(condition: Condition, ruleID: String, roles: [Ident])] {
        symbols.rules.compactMap { r in
            r.effect.map { ($0.condition, r.id.name, (r.to ?? []).filter { Vocabulary.roles.contains($0.name) }) }
        } + symbols.derives.compactMap { d in d.when.map { ($0, d.id.name, []) } }
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
}
