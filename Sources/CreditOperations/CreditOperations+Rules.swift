import CreditRegistry
import Decisions
import Foundation
import Logging
import RuleEngine

/// What an activation or rollback did.
public struct RuleActivation: Sendable, Codable {
    public var version: String
    public var previousVersion: String?
    public var author: String
    public var asOf: Day
    public var summary: DecisionMaterialiser.Summary
}

/// The active rule set as operators and the service show it.
public struct RuleStatus: Sendable, Codable {
    public var version: String?
    public var activatedAt: String?
    public var author: String?
    public var memoranda: [MemorandumInfo]
    public var measures: [MeasureInfo]
}

extension CreditOperations {
    /// Checks, tests and activates the rule files at `paths`: refuses a rule set with errors or
    /// failing in-file tests (``OperationError``); otherwise records the version, author and
    /// time and recomputes every decision as of `asOf`, all in one transaction.
    public func activateRules(paths: [String], author: String, asOf: Day? = nil,
                              progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil) throws -> RuleActivation {
        let loaded = RuleSetLoader.load(paths: paths)
        return try activateRules(loaded, directory: paths.joined(separator: " "), author: author, asOf: asOf, progress: progress)
    }

    /// ``activateRules(paths:author:asOf:progress:)`` for a rule set already loaded.
    public func activateRules(_ loaded: LoadedRuleSet, directory: String, author: String, asOf: Day? = nil,
                              progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil) throws -> RuleActivation {
        let rules = try Self.tested(loaded)
        let day = day(asOf)
        if let decisionStore {
            let previous = try decisionStore.versions().first(where: \.active)?.version
            let total = try decisionStore.subjectCount()
            let summary = try audited(actor: author, action: "rules.activate", detail: "version \(rules.version) from \(directory)") {
                try decisionStore.activate(loaded, rules: rules, directory: directory, author: author, asOf: day) { n in progress?(n, total) }
            }
            return activated(rules.version, previous: previous, author: author, asOf: day, summary: summary)
        }
        let store = RuleSetStore(registry: registry)
        let previous = try store.activeVersion()
        let total = try registry.subjectCount()
        let registry = self.registry
        let summary = try audited(actor: author, action: "rules.activate", detail: "version \(rules.version) from \(directory)") {
            try registry.write { db -> DecisionMaterialiser.Summary in
                try store.activate(loaded, directory: directory, author: author, in: db)
                return try DecisionMaterialiser(rules: rules, registry: registry).materialiseAll(asOf: day, in: db) { n in progress?(n, total) }
            }
        }
        return activated(rules.version, previous: previous, author: author, asOf: day, summary: summary)
    }

    /// Counts and logs an activation that committed.
    private func activated(_ version: String, previous: String?, author: String, asOf day: Day,
                           summary: DecisionMaterialiser.Summary) -> RuleActivation {
        activeRules.invalidate()
        metrics.evaluated(summary, by: .activation)
        logger.info("rules activated", metadata: ["version": "\(version)", "author": "\(author)", "asOf": "\(day)",
                                                  "decisions": "\(summary.decisions)", "seconds": "\(summary.seconds)"])
        return RuleActivation(version: version, previousVersion: previous, author: author, asOf: day, summary: summary)
    }

    /// Runs the registry change `change` audited: its entry is written first (no change without
    /// its entry; the audit log has a database of its own, so the two cannot commit together),
    /// and a `.failed` entry follows when the change does not commit.
    func audited<T>(actor: String, action: String, subject: String? = nil, detail: String, _ change: () throws -> T) throws -> T {
        try recordAudit([AuditLog.Pending(actor: actor, action: action, subject: subject, detail: detail)])
        do {
            return try OperationError.mappingBusy(.registry, change)
        } catch {
            try? recordAudit([AuditLog.Pending(actor: actor, action: action + ".failed", subject: subject, detail: "\(detail): \(error)")])
            throw error
        }
    }

    /// The compiled rule set when it checks and its tests pass; the refusal otherwise.
    public static func tested(_ loaded: LoadedRuleSet) throws -> CompiledRuleSet {
        guard let rules = loaded.ruleSet else { throw OperationError.invalidRules(diagnostics: loaded.renderedDiagnostics) }
        let tests = RuleTestRunner.run(rules)
        guard tests.failed == 0 else { throw OperationError.failingRuleTests(summary: tests.summary) }
        return rules
    }

    /// Re-activates the stored version whose id starts with `version` (default: the one active
    /// before the current one) and recomputes the decisions, in one transaction.
    public func rollbackRules(to version: String?, author: String, asOf: Day? = nil) throws -> RuleActivation {
        let store = RuleSetStore(registry: registry)
        let versions = try decisionStore?.versions() ?? store.versions()
        guard let current = versions.first(where: \.active) else { throw OperationError.noActiveRuleSet }
        let target = version.map { v in versions.first { $0.version.hasPrefix(v) } }
            ?? versions.filter { $0.version != current.version }.last
        guard let target, let rules = try decisionStore.map({ try $0.ruleSet(version: target.version) }) ?? store.ruleSet(version: target.version)
        else { throw OperationError.noSuchVersion(version) }
        // Stored versions passed their tests when activated; a rollback restores exactly those sources.
        let day = day(asOf)
        let registry = self.registry, decisionStore = self.decisionStore
        let summary = try audited(actor: author, action: "rules.rollback", detail: "version \(target.version)") {
            if let decisionStore { return try decisionStore.reactivate(version: target.version, rules: rules, author: author, asOf: day) }
            return try registry.write { db -> DecisionMaterialiser.Summary in
                try store.reactivate(version: target.version, author: author, in: db)
                return try DecisionMaterialiser(rules: rules, registry: registry).materialiseAll(asOf: day, in: db)
            }
        }
        activeRules.invalidate()
        metrics.evaluated(summary, by: .rollback)
        logger.info("rules rolled back", metadata: ["from": "\(current.version)", "to": "\(target.version)", "author": "\(author)"])
        return RuleActivation(version: target.version, previousVersion: current.version, author: author, asOf: day, summary: summary)
    }

    /// Recomputes every decision of the active rule set as of `asOf` (run daily, so measures that
    /// start or end today are in the table officers and banks read).
    public func refreshDecisions(asOf: Day? = nil,
                                 progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil) throws -> (version: String, summary: DecisionMaterialiser.Summary) {
        let day = day(asOf)
        if let decisionStore {
            let total = try decisionStore.subjectCount()
            guard let (version, summary) = try decisionStore.refresh(asOf: day, progress: { n in progress?(n, total) })
            else { throw OperationError.noActiveRuleSet }
            metrics.evaluated(summary, by: .refresh)
            logger.info("decisions refreshed", metadata: ["version": "\(version)", "asOf": "\(day)", "decisions": "\(summary.decisions)"])
            return (version, summary)
        }
        guard let rules = try activeRules.provider().rules else { throw OperationError.noActiveRuleSet }
        let total = try registry.subjectCount()
        let registry = self.registry
        let summary = try OperationError.mappingBusy(.registry) {
            try registry.write { db in
                try DecisionMaterialiser(rules: rules, registry: registry).materialiseAll(asOf: day, in: db) { n in progress?(n, total) }
            }
        }
        metrics.evaluated(summary, by: .refresh)
        logger.info("decisions refreshed", metadata: ["version": "\(rules.version)", "asOf": "\(day)", "decisions": "\(summary.decisions)"])
        return (rules.version, summary)
    }

    /// The active version with its memoranda and measures.
    public func ruleStatus() throws -> RuleStatus {
        let active = try ruleVersions().first(where: \.active)
        let rules = try activeRuleSet()
        return RuleStatus(version: active?.version, activatedAt: active?.activatedAt, author: active?.author,
                          memoranda: rules?.memoranda ?? [], measures: rules?.measures ?? [])
    }

    /// Every stored version, oldest first.
    public func ruleVersions() throws -> [RuleSetStore.Version] { try decisionStore?.versions() ?? RuleSetStore(registry: registry).versions() }

    /// The rule set commands evaluate with: the active one, else nil.
    public func activeRuleSet() throws -> CompiledRuleSet? {
        if let decisionStore { return try decisionStore.activeRuleSet() }
        return try activeRules.provider().rules
    }

    /// How many subjects the materialised decisions place under each measure.
    public func subjectsByMeasure() throws -> [String: Int] {
        if let decisionStore { return try decisionStore.subjectsByMeasure() }
        return try DecisionStatistics(registry: registry).subjectsByMeasure()
    }

    /// The subjects under measures in the decision table, with counts and memoranda.
    public func subjectsUnderMeasures() throws -> [DecisionStatistics.SubjectMeasures] {
        try DecisionStatistics(registry: registry).subjectsUnderMeasures()
    }

    /// For each of `lists`, one subject on it on `asOf` (default today) with the measures in force
    /// for it that day; nil for a list nobody is on.
    public func subjectPerList(_ lists: [String], asOf: Day? = nil) throws -> [(list: String, subject: DecisionStatistics.ListSubject?)] {
        try DecisionStatistics(registry: registry).subjectPerList(lists, on: day(asOf))
    }

    /// Which subjects would gain or lose which measures if `candidate` replaced the active rule set.
    /// `subjectsPerBatch`: on PostgreSQL, how many subjects' facts are read together (SQLite streams them).
    public func impact(of candidate: CompiledRuleSet, asOf: Day? = nil, subjectsPerBatch: Int? = nil) throws -> ImpactDiff {
        if let decisionStore { return try decisionStore.impact(of: candidate, asOf: day(asOf), subjectsPerBatch: subjectsPerBatch) }
        return try ImpactDiff.compute(candidate: candidate, current: try activeRules.provider().rules, registry: registry, asOf: day(asOf))
    }

    /// What `rules explain` shows for the subject any identifier names: why each rule of `rules`
    /// fired or did not on `asOf` (default today), and the source records the rules cite; nil
    /// when no subject has that identifier.
    public func explainSubject(_ identifier: String, rules: CompiledRuleSet, asOf: Day? = nil) throws -> SubjectExplanation? {
        let day = day(asOf)
        func explain(on registry: Registry) throws -> SubjectExplanation? {
            guard let subject = try registry.lookup(identifier) else { return nil }
            let explanations = try RegistryEvaluator(rules: rules, registry: registry).explain(subject.code, asOf: day)
            let records = try registry.read { db in
                try registry.records(ids: Array(Set(explanations.flatMap { $0.rules.flatMap(\.records) })), in: db)
            }
            return SubjectExplanation(subject: subject, asOf: day, explanations: explanations, records: records)
        }
        if let slices { return try slices.withFactSlice(of: identifier) { try explain(on: $0) } }
        return try explain(on: registry)
    }

    /// Why each rule fired or did not for the subject `code` (registry key) on `asOf`.
    public func explain(_ code: String, rules: CompiledRuleSet, asOf: Day? = nil) throws -> [Explanation] {
        try RegistryEvaluator(rules: rules, registry: registry).explain(code, asOf: day(asOf))
    }
}
