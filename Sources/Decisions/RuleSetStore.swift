import CreditRegistry
import RuleEngine
import Foundation
import GRDB

/// The rule-set versions of a registry: which was activated, by whom and when, with the
/// sources kept so that a rollback needs no files.
public struct RuleSetStore: Sendable {
    public let registry: Registry

    public init(registry: Registry) { self.registry = registry }

    /// One activated version.
    public struct Version: Sendable, Codable, Hashable, FetchableRecord {
        /// Columns are snake_case; JSON output keeps the property names.
        public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
        public var version: String
        public var activatedAt: String
        public var author: String
        public var sourceDirectory: String
        public var active: Bool
    }

    /// All versions, oldest first.
    public func versions() throws -> [Version] {
        try registry.read { db in
            try Version.fetchAll(db, sql: """
                SELECT version, activated_at, author, source_dir AS source_directory, active FROM ruleset ORDER BY activated_at, rowid
                """)
        }
    }

    /// The active version, if any.
    public func active() throws -> Version? { try versions().first { $0.active } }

    /// The id of the active version, if any (one indexed read: look-ups call it).
    public func activeVersion() throws -> String? {
        try registry.read { db in try String.fetchOne(db, sql: "SELECT version FROM ruleset WHERE active = 1") }
    }

    /// The active rule set, compiled from its stored sources.
    public func activeRuleSet() throws -> CompiledRuleSet? {
        guard let v = try active() else { return nil }
        return try ruleSet(version: v.version)
    }

    /// A stored version, compiled from its stored sources.
    public func ruleSet(version: String) throws -> CompiledRuleSet? {
        guard let json = try registry.read({ db in try String.fetchOne(db, sql: "SELECT sources FROM ruleset WHERE version = ?", arguments: [version]) })
        else { return nil }
        return try RuleSetSources.compile(json)
    }

    /// Records `loaded` as the active version (in the same transaction as the decisions the
    /// caller writes), with author and time. The caller writes the audit entry (the audit log
    /// has a database of its own).
    public func activate(_ loaded: LoadedRuleSet, directory: String, author: String, in db: Database) throws {
        guard let rules = loaded.ruleSet else { return }
        let sources = try RuleSetSources.encode(loaded)
        let now = ISO8601DateFormatter().string(from: Date())
        try db.execute(sql: "UPDATE ruleset SET active = 0 WHERE active = 1")
        try db.execute(sql: """
            INSERT INTO ruleset (version, activated_at, author, source_dir, sources, active) VALUES (?, ?, ?, ?, ?, 1)
            ON CONFLICT(version) DO UPDATE SET activated_at = excluded.activated_at, author = excluded.author,
                source_dir = excluded.source_dir, active = 1
            """, arguments: [rules.version, now, author, directory, sources])
    }

    /// Marks an already stored version active again.
    public func reactivate(version: String, author: String, in db: Database) throws {
        try db.execute(sql: "UPDATE ruleset SET active = 0 WHERE active = 1")
        try db.execute(sql: "UPDATE ruleset SET active = 1, activated_at = ?, author = ? WHERE version = ?",
                       arguments: [ISO8601DateFormatter().string(from: Date()), author, version])
    }
}
