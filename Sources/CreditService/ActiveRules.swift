import CreditRegistry
import Foundation
import GRDB
import RuleEngine

/// The decision provider of the active rule set, compiled once and recompiled only when another
/// version is activated (checked at most once a second), so a look-up costs no compilation.
final class ActiveRules: @unchecked Sendable {
    private let registry: Registry
    private let lock = NSLock()
    private var cached: (version: String?, provider: RuleDecisionProvider)?
    private var checkedAt = Date.distantPast

    init(registry: Registry) { self.registry = registry }

    func provider() throws -> RuleDecisionProvider {
        lock.lock(); defer { lock.unlock() }
        if let cached, Date().timeIntervalSince(checkedAt) < 1 { return cached.provider }
        let version = try registry.read { db in try String.fetchOne(db, sql: "SELECT version FROM ruleset WHERE active = 1") }
        checkedAt = Date()
        if let cached, cached.version == version {
            return cached.provider
        }
        let provider = try RuleDecisionProvider.active(registry: registry)
        cached = (version, provider)
        return provider
    }
}
