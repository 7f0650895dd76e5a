/// `department sat "国家税务总局"`
struct ResolvedDepartment: Sendable, Hashable {
    var id: Ident
    var name: String

    var ref: DepartmentRef { DepartmentRef(id: id.name, name: name) }
}
