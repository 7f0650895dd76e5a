import CreditRegistry
import Foundation

/// Who is calling the API, from their bearer token.
public struct Caller: Sendable, Hashable, Codable {
    /// Roles of DESIGN.md §6; each decides what a caller may do and see.
    public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
        /// An enforcement officer of a department: looks subjects up, sees ID numbers.
        case officer
        /// A bank: batch-checks counterparties; sees no personal ID numbers.
        case bank
        /// A rule operator: rules status, name search.
        case `operator`
        /// A platform administrator: everything.
        case administrator
        /// An auditor: looks up and reads what was done, sees ID numbers.
        case auditor

        var mayLookUp: Bool { self == .officer || self == .administrator || self == .auditor }
        var maySearch: Bool { self != .bank }
        var mayCheck: Bool { self == .bank || self == .administrator }
        var maySeePersonalIDs: Bool { self == .officer || self == .administrator || self == .auditor }
    }

    /// Recorded as the actor in the audit log.
    public var name: String
    public var role: Role
    /// The officer's department id (e.g. `sat`), whose measures come first in reports.
    public var department: String?

    public init(name: String, role: Role, department: String? = nil) {
        self.name = name; self.role = role; self.department = department
    }
}

/// The tokens the service accepts, loaded from a JSON file:
/// `[{"token": "…", "name": "officer-07", "role": "officer", "department": "sat"}]`.
/// Tokens are kept only as SHA-256 digests in memory and compared by digest.
public struct TokenStore: Sendable {
    private let callers: [String: Caller]

    public init(tokens: [String: Caller]) {
        var byDigest: [String: Caller] = [:]
        for (token, caller) in tokens { byDigest[Digest.sha256Hex(token.utf8)] = caller }
        callers = byDigest
    }

    /// Reads a token file; every entry needs a token of at least 16 characters, a name and a role.
    public init(file: String) throws {
        struct Entry: Decodable { var token: String; var name: String; var role: Caller.Role; var department: String? }
        guard let data = FileManager.default.contents(atPath: file) else { throw TokenFileError(file: file, reason: "cannot read the file") }
        let entries: [Entry]
        do { entries = try JSONDecoder().decode([Entry].self, from: data) } catch {
            throw TokenFileError(file: file, reason: "not a JSON array of {token, name, role, department}: \(error)")
        }
        var tokens: [String: Caller] = [:]
        for (i, e) in entries.enumerated() {
            guard e.token.count >= 16 else { throw TokenFileError(file: file, reason: "entry \(i + 1) (\(e.name)): token shorter than 16 characters") }
            tokens[e.token] = Caller(name: e.name, role: e.role, department: e.department)
        }
        self.init(tokens: tokens)
    }

    /// The caller a bearer token stands for.
    public func caller(token: String) -> Caller? { callers[Digest.sha256Hex(token.utf8)] }
}

/// A token file that cannot be used.
public struct TokenFileError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var reason: String
    public var description: String { "\(file): \(reason)" }
}
