import CreditRegistry

/// `department saic "国家工商行政管理总局" until 2018-04-10 successor samr`
struct ResolvedDepartment: Sendable, Hashable {
    var id: Ident
    var name: String
    /// The day the department ceased to exist (exclusive), when it did.
    var until: Day? = nil
    /// The department that took over its duties.
    var successor: Ident? = nil

    var ref: DepartmentRef { DepartmentRef(id: id.name, name: name) }
}
