import CreditRegistry
import Foundation

/// A new or rotated account with its token, which is shown this once and never stored.
public struct IssuedToken: Sendable {
    public var account: Account
    public var token: String
}

/// An account as listed (never its token or digest).
public struct AccountListing: Sendable, Hashable, Codable {
    public var account: Account
    public var createdAt: String
    public var revokedAt: String?
}

extension CreditOperations {
    var accounts: AccountStore { AccountStore(registry: registry) }

    /// Creates an account with a generated token (printed once by the caller); audited as
    /// `account` with `actor`.
    public func addAccount(_ account: Account, actor: String) throws -> IssuedToken {
        try validate(account)
        let token = AccessToken.generate()
        try insert(account, digest: AccessToken.digest(token), actor: actor, how: "add")
        return IssuedToken(account: account, token: token)
    }

    /// Imports the accounts of a checked token file (``TokenFile``) in one transaction: none is
    /// imported when any name exists or any token is already in use. Audited.
    public func importAccounts(_ file: TokenFile, actor: String) throws -> [Account] {
        let accounts = file.entries.map { Account(name: $0.name, role: $0.role, department: $0.department) }
        for a in accounts { try validate(a) }
        let store = self.accounts
        let now = timestamp()
        let rows = zip(accounts, file.entries).map { a, e in
            StoredAccount(name: a.name, role: a.role.rawValue, department: a.department, tokenDigest: AccessToken.digest(e.token), createdAt: now)
        }
        let entries = accounts.map { audit(actor: actor, what: "import", $0) }
        try registry.write { db in
            for r in rows {
                if try store.account(named: r.name, in: db) != nil { throw AccountError.duplicateName(r.name) }
                if try store.digestInUse(r.tokenDigest, in: db) {
                    throw AccountError.tokenFile(file: "import", reason: "the token of \(r.name) is already in use by another account")
                }
                try store.insert(r, in: db)
            }
        }
        try recordAudit(entries)
        return accounts
    }

    /// Every account, revoked ones included.
    public func listAccounts() throws -> [AccountListing] {
        try accounts.all().map { s in
            AccountListing(account: Account(name: s.name, role: AccountRole(rawValue: s.role) ?? .bank, department: s.department),
                           createdAt: s.createdAt, revokedAt: s.revokedAt)
        }
    }

    /// Revokes an account: its token stops working (in a running service within its cache's
    /// time). Audited.
    public func revokeAccount(named name: String, actor: String) throws {
        let store = accounts
        let now = timestamp()
        let account = try registry.write { db -> Account in
            guard let s = try store.account(named: name, in: db) else { throw AccountError.noSuchAccount(name) }
            try store.revoke(name: name, at: now, in: db)
            return Account(name: s.name, role: AccountRole(rawValue: s.role) ?? .bank, department: s.department)
        }
        try recordAudit([audit(actor: actor, what: "revoke", account)])
    }

    /// Gives an account a new generated token (the old one stops working; a revoked account
    /// becomes live again). Audited.
    public func rotateAccount(named name: String, actor: String) throws -> IssuedToken {
        let store = accounts
        let token = AccessToken.generate()
        let digest = AccessToken.digest(token)
        let account = try registry.write { db -> Account in
            guard let s = try store.account(named: name, in: db) else { throw AccountError.noSuchAccount(name) }
            try store.replaceDigest(name: name, digest: digest, in: db)
            return Account(name: s.name, role: AccountRole(rawValue: s.role) ?? .bank, department: s.department)
        }
        try recordAudit([audit(actor: actor, what: "rotate", account)])
        return IssuedToken(account: account, token: token)
    }

    /// The live account a bearer token belongs to, or nil (unknown or revoked token).
    public func authenticate(token: String) throws -> Account? {
        try authenticate(digest: AccessToken.digest(token))
    }

    /// The live account whose token has the digest `digest` (``AccessToken/digest(_:)``), or nil:
    /// a signed-in session keeps only the digest and asks again, so revoking ends it.
    public func authenticate(digest: String) throws -> Account? {
        guard let s = try reader.activeAccount(digest: digest), let role = AccountRole(rawValue: s.role) else { return nil }
        return Account(name: s.name, role: role, department: s.department)
    }

    private func validate(_ a: Account) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
        guard (1...64).contains(a.name.count), a.name.allSatisfy(allowed.contains) else { throw AccountError.invalidName(a.name) }
        switch a.role {
        case .officer: if (a.department ?? "").isEmpty { throw AccountError.departmentRequired }
        default: if a.department != nil { throw AccountError.departmentNotAllowed(a.role) }
        }
    }

    private func insert(_ a: Account, digest: String, actor: String, how: String) throws {
        let store = accounts
        let row = StoredAccount(name: a.name, role: a.role.rawValue, department: a.department, tokenDigest: digest, createdAt: timestamp())
        try registry.write { db in
            if try store.account(named: a.name, in: db) != nil { throw AccountError.duplicateName(a.name) }
            try store.insert(row, in: db)
        }
        try recordAudit([audit(actor: actor, what: how, a)])
    }

    private func audit(actor: String, what: String, _ a: Account) -> AuditLog.Pending {
        AuditLog.Pending(actor: actor, action: "account", subject: nil,
                         detail: "\(what) \(a.name) role \(a.role.rawValue)" + (a.department.map { " department \($0)" } ?? ""))
    }

    private func timestamp() -> String { ISO8601DateFormatter().string(from: Date()) }
}
