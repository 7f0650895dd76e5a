import CreditRegistry
import Decisions
import Foundation
import RuleEngine

/// The active rule set's decision provider, compiled once per activated version.
///
/// A look-up reads the active version (one indexed read, at most once a second) and swaps in a
/// newly compiled provider when another version was activated. The lock guards only the
/// snapshot: reading the database and compiling happen outside it, so a slow compile never
/// blocks look-ups that can use the current snapshot.
final class ActiveRuleCache: Sendable {
    private struct Snapshot: Sendable {
        var version: String?
        var provider: RuleDecisionProvider
        var checkedAt: Date
    }
    private let registry: Registry
    private let snapshot = LockedBox<Snapshot?>(nil)
    /// How long a checked version is trusted before it is read again.
    static let recheckInterval: TimeInterval = 1

    init(registry: Registry) { self.registry = registry }

    /// The provider of the active rule set (the decision table alone when none is active).
    func provider() throws -> RuleDecisionProvider {
        let now = Date()
        let current = snapshot.value
        if let current, now.timeIntervalSince(current.checkedAt) < Self.recheckInterval { return current.provider }
        let version = try RuleSetStore(registry: registry).activeVersion()
        if let current, current.version == version {
            snapshot.withValue { $0?.checkedAt = now }
            return current.provider
        }
        let provider = try RuleDecisionProvider.active(registry: registry)
        snapshot.value = Snapshot(version: version, provider: provider, checkedAt: now)
        return provider
    }

    /// Forgets the snapshot (after this process activated or rolled back a version).
    func invalidate() { snapshot.value = nil }
}
