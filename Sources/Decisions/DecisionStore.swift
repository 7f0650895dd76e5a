import CreditRegistry
import Foundation
import RuleEngine

/// Where rule-set versions and materialised decisions live when not in the SQLite registry (the
/// PostgreSQL backend): the rule use-cases call it instead of ``RuleSetStore`` and
/// ``DecisionMaterialiser``, with the same meaning. Each changing call is one transaction that
/// records the version and rewrites the decision table, serialised with every other process's
/// activations and with the feeds that re-evaluate decisions.
package protocol DecisionStore: Sendable {
    /// All versions, oldest first.
    func versions() throws -> [RuleSetStore.Version]
    /// A stored version, compiled from its stored sources.
    func ruleSet(version: String) throws -> CompiledRuleSet?
    /// The active rule set, compiled from its stored sources; nil when none is active.
    func activeRuleSet() throws -> CompiledRuleSet?
    /// How many subjects the registry holds (the progress total).
    func subjectCount() throws -> Int
    /// Records `loaded` (compiled as `rules`) as the active version and recomputes every
    /// decision as of `asOf`, in one transaction.
    func activate(_ loaded: LoadedRuleSet, rules: CompiledRuleSet, directory: String, author: String, asOf: Day,
                  progress: ((Int) -> Void)?) throws -> DecisionMaterialiser.Summary
    /// Marks the stored `version` (compiled as `rules`) active again and recomputes every
    /// decision as of `asOf`, in one transaction.
    func reactivate(version: String, rules: CompiledRuleSet, author: String, asOf: Day) throws -> DecisionMaterialiser.Summary
    /// Recomputes every decision of the version active when the transaction starts; nil when none is active.
    func refresh(asOf: Day, progress: ((Int) -> Void)?) throws -> (version: String, summary: DecisionMaterialiser.Summary)?
    /// How many subjects the decision table places under each measure (``DecisionStatistics/subjectsByMeasure()``).
    func subjectsByMeasure() throws -> [String: Int]
    /// Records an officer's verification of a fact about the subject `code` and brings the
    /// decisions of that subject (and those related to it) up to date as of `asOf` with the
    /// active rule set, in one transaction (``VerificationStore/record(_:subject:recordedOn:in:)``
    /// and ``DecisionMaterialiser`` on SQLite). Nil when no subject has that code; `reevaluated`
    /// nil when no rule set is active.
    func recordVerification(_ fact: VerificationFact, subject code: String, recordedOn: Day, asOf: Day) throws -> (id: Int64, reevaluated: Int?)?
    /// What replacing the active rule set with `candidate` would change as of `asOf`
    /// (``ImpactDiff``), read from one consistent state; `subjectsPerBatch`: how many subjects'
    /// facts are read together (nil: the store's default).
    func impact(of candidate: CompiledRuleSet, asOf: Day, subjectsPerBatch: Int?) throws -> ImpactDiff
}

extension RuleSetStore.Version {
    /// A version as a store other than ``RuleSetStore`` read it.
    package init(stored version: String, activatedAt: String, author: String, sourceDirectory: String, active: Bool) {
        self.version = version; self.activatedAt = activatedAt; self.author = author
        self.sourceDirectory = sourceDirectory; self.active = active
    }
}

/// A rule set's sources as the `ruleset` table keeps them (JSON `{file: text}`, keys sorted), so
/// that a rollback needs no files; the same text in every store.
package enum RuleSetSources {
    /// The stored text of `loaded`'s sources.
    package static func encode(_ loaded: LoadedRuleSet) throws -> String {
        var files: [String: String] = [:]
        for s in loaded.sources { files[s.path] = s.text }
        let e = JSONEncoder(); e.outputFormatting = [.sortedKeys]
        return String(decoding: try e.encode(files), as: UTF8.self)
    }

    /// The rule set compiled from stored sources (nil when they no longer compile).
    package static func compile(_ json: String) throws -> CompiledRuleSet? {
        let files = try JSONDecoder().decode([String: String].self, from: Data(json.utf8))
        return RuleSetLoader.load(sources: files.keys.sorted().map { SourceFile(path: $0, text: files[$0] ?? "") }).ruleSet
    }
}
