/// A measure with its required clauses (`text`, `department`, `basis`, `category`) present and
/// typed, and the memorandum of its file.
struct ResolvedMeasure: Sendable, Hashable {
    var id: Ident
    var memorandum: String
    var text: String
    var department: DepartmentRef
    var basis: String
    var category: MeasureCategory
    var financial: Bool
    var unconfirmed: [String]
    var item: String? = nil
    var cooperating: [DepartmentRef] = []
    /// The national basic list measure it implements: id and, when known, item number.
    var basic: String? = nil
}
