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
    /// Where accounts are kept: ``accountStore`` when given (the PostgreSQL backend's), else the
    /// SQLite registry's `account` table.
    var accountKeeper: any AccountKeeping { accountStore ?? AccountStore(registry: registry) }

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
        let now = timestamp()
        let rows = zip(accounts, file.entries).map { a, e in
            StoredAccount(name: a.name, role: a.role.rawValue, department: a.department, tokenDigest: AccessToken.digest(e.token), createdAt: now)
        }
        do {
            try accountKeeper.insert(rows)
        } catch AccountConflict.nameTaken(let name) {
            throw AccountError.duplicateName(name)
        } catch AccountConflict.digestInUse(let name) {
            throw AccountError.tokenFile(file: "import", reason: "the token of \(name) is already in use by another account")
        }
        try recordAudit(accounts.map { audit(actor: actor, what: "import", $0) })
        return accounts
    }

    /// Every account, revoked ones included.
    public func listAccounts() throws -> [AccountListing] {
        try accountKeeper.all().map { s in
            AccountListing(account: Account(name: s.name, role: AccountRole(rawValue: s.role) ?? .bank, department: s.department),
                           createdAt: s.createdAt, revokedAt: s.revokedAt)
        }
    }

    /// Revokes an account: its token stops working (in a running service within its cache's
    /// time). Audited.
    public func revokeAccount(named name: String, actor: String) throws {
        guard let s = try accountKeeper.revoke(name: name, at: timestamp()) else { throw AccountError.noSuchAccount(name) }
        try recordAudit([audit(actor: actor, what: "revoke", Account(name: s.name, role: AccountRole(rawValue: s.role) ?? .bank, department: s.department))])
    }

    /// Gives an account a new generated token (the old one stops working; a revoked account
    /// becomes live again). Audited.
    public func rotateAccount(named name: String, actor: String) throws -> IssuedToken {
        let token = AccessToken.generate()
        guard let s = try accountKeeper.replaceDigest(name: name, digest: AccessToken.digest(token)) else {
            throw AccountError.noSuchAccount(name)
        }
        let account = Account(name: s.name, role: AccountRole(rawValue: s.role) ?? .bank, department: s.department)
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
        let row = StoredAccount(name: a.name, role: a.role.rawValue, department: a.department, tokenDigest: digest, createdAt: timestamp())
        do {
            try accountKeeper.insert([row])
        } catch AccountConflict.nameTaken(let name) {
            throw AccountError.duplicateName(name)
        }
        try recordAudit([audit(actor: actor, what: how, a)])
    }

    private func audit(actor: String, what: String, _ a: Account) -> AuditLog.Pending {
        AuditLog.Pending(actor: actor, action: "account", subject: nil,
                         detail: "\(what) \(a.name) role \(a.role.rawValue)" + (a.department.map { " department \($0)" } ?? ""))
    }

    private func timestamp() -> String { ISO8601DateFormatter().string(from: Date()) }
}
