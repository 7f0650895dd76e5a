/// An account use-case refused: what and why, for a person.
public enum AccountError: Error, CustomStringConvertible, Sendable, Equatable {
    case invalidName(String)
    case duplicateName(String)
    case noSuchAccount(String)
    case departmentRequired
    case departmentNotAllowed(AccountRole)
    /// A token file that cannot be imported: the file, and why (which entry).
    case tokenFile(file: String, reason: String)

    public var description: String {
        switch self {
        case .invalidName(let n): "invalid account name '\(n)': use 1–64 letters, digits, '-', '_' or '.'"
        case .duplicateName(let n): "an account named '\(n)' already exists"
        case .noSuchAccount(let n): "no account named '\(n)'"
        case .departmentRequired: "an officer account needs --department (the department whose measures the officer handles)"
        case .departmentNotAllowed(let r): "role \(r.rawValue) has no department"
        case .tokenFile(let file, let reason): "\(file): \(reason)"
        }
    }
}
