/// A use-case refused to an account whose role may not perform it.
public struct AccessDenied: Error, CustomStringConvertible, Sendable, Equatable {
    public var role: AccountRole
    /// What was asked, as a verb phrase (`look subjects up`).
    public var what: String
    public var description: String { "role \(role.rawValue) may not \(what)" }
}

extension Account {
    /// Throws ``AccessDenied`` unless the role allows it.
    public func require(_ allowed: (AccountRole) -> Bool, _ what: String) throws {
        guard allowed(role) else { throw AccessDenied(role: role, what: what) }
    }
}
