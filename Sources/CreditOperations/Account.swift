/// An authenticated account: the name recorded as actor, its role and (officers) department.
public struct Account: Sendable, Hashable, Codable {
    public var name: String
    public var role: AccountRole
    /// The officer's department id (e.g. `sat`).
    public var department: String?

    public init(name: String, role: AccountRole, department: String? = nil) {
        self.name = name; self.role = role; self.department = department
    }

    /// The viewer this account is, for the use-cases; `unmask` asks for ID numbers in full and
    /// is granted only to roles that may see them. `channel` prefixes the actor (`api`, `cli`).
    public func viewer(channel: String, unmask: Bool = false) -> Viewer {
        Viewer(actor: "\(channel):\(name)", maySeePersonalIDs: unmask && role.maySeePersonalIDs, role: role)
    }
}

extension Account {
    public typealias Role = AccountRole
}
