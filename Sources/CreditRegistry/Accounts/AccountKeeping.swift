import GRDB

/// Where the service's accounts are kept: the registry's `account` table, on SQLite
/// (``AccountStore``) or on PostgreSQL. The account use-cases check names and roles, generate
/// tokens and audit every change; a keeper only stores, each call in one transaction.
public protocol AccountKeeping: Sendable {
    /// Inserts `accounts` in one transaction, or none of them when a name exists or a token
    /// digest is held by another account (``AccountConflict``).
    func insert(_ accounts: [StoredAccount]) throws
    /// Every account, revoked ones included, by name.
    func all() throws -> [StoredAccount]
    /// Marks the account named `name` revoked at `at`; nil when there is no such account.
    func revoke(name: String, at: String) throws -> StoredAccount?
    /// Gives the account named `name` the token digest `digest` and lifts a revocation; nil when
    /// there is no such account.
    func replaceDigest(name: String, digest: String) throws -> StoredAccount?
}

/// Why a keeper refused to insert accounts.
public enum AccountConflict: Error, Equatable, Sendable {
    /// An account of this name exists (revoked or not).
    case nameTaken(String)
    /// The token digest of the account of this name is held by another account.
    case digestInUse(String)
}

extension AccountStore: AccountKeeping {
    public func insert(_ accounts: [StoredAccount]) throws {
        try registry.write { db in
            for a in accounts {
                if try account(named: a.name, in: db) != nil { throw AccountConflict.nameTaken(a.name) }
                if try digestInUse(a.tokenDigest, in: db) { throw AccountConflict.digestInUse(a.name) }
                try insert(a, in: db)
            }
        }
    }

    public func revoke(name: String, at: String) throws -> StoredAccount? {
        try registry.write { db in
            guard let a = try account(named: name, in: db) else { return nil }
            try revoke(name: name, at: at, in: db)
            return a
        }
    }

    public func replaceDigest(name: String, digest: String) throws -> StoredAccount? {
        try registry.write { db in
            guard let a = try account(named: name, in: db) else { return nil }
            try replaceDigest(name: name, digest: digest, in: db)
            return a
        }
    }
}
