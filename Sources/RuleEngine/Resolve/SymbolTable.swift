/// The names declared across all files and each block's clauses, typed: what the checker
/// checks and the ``Resolver`` turns into ``Declarations``.
struct SymbolTable: Sendable {
    struct ListSymbol: Sendable {
        var id: Ident
        var name: String
        var owner: Ident?
        var fed: Bool
        /// The owner's entries and exits govern: they override durations the rules derive.
        var authoritative: Bool = false
    }

    /// `basic ID "…" item "…"`: a measure of the national basic list.
    struct BasicSymbol: Sendable {
        var id: Ident
        var name: String
        var item: String?
    }

    var departments: [String: ResolvedDepartment] = [:]
    var lists: [String: ListSymbol] = [:]
    var basics: [String: BasicSymbol] = [:]
    /// Every measure, in file order (a duplicated id included).
    var measures: [MeasureClauses] = []
    /// Measure id → where it is first declared.
    var measureIDs: [String: SourceRange] = [:]
    /// Every memorandum, in file order (a duplicated number included).
    var memoranda: [MemorandumClauses] = []
    /// Document number → where it is first declared.
    var memorandumNumbers: [String: SourceRange] = [:]
    /// File path → the document number of the memorandum it declares.
    var memorandumOfFile: [String: String] = [:]
    var rules: [RuleClauses] = []
    var derives: [DeriveClauses] = []
    var tests: [TestClauses] = []
    /// List id → ids of the derive rules that add to it.
    var derivedBy: [String: [String]] = [:]
}
