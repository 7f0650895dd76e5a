/// A rule set's declarations after resolution: every required clause present and typed, every
/// name resolved. The ``Compiler`` reads only these.
struct Declarations: Sendable {
    /// Sorted by id.
    var departments: [ResolvedDepartment] = []
    /// Sorted by id; ``ResolvedDerive/list`` indexes into it.
    var lists: [ResolvedList] = []
    /// Sorted by document number.
    var memoranda: [ResolvedMemorandum] = []
    /// Sorted by id; ``ResolvedRule/measures`` index into it.
    var measures: [ResolvedMeasure] = []
    /// Sorted by id.
    var rules: [ResolvedRule] = []
    /// Sorted by id.
    var derives: [ResolvedDerive] = []
    /// In file order.
    var tests: [ResolvedTest] = []
}
