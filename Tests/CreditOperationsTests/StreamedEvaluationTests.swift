import CreditTestSupport
import CreditRegistry
import CreditSamples
import Decisions
import FeedIngest
import Foundation
import GRDB
import RuleEngine
import Testing

/// A full materialisation reads every subject's facts, and its related subjects' facts, from
/// merge-join streams; re-evaluating subject by subject reads them with per-subject queries.
/// On a generated registry (persons serving several companies, penalties, lists, tax cases)
/// both must write exactly the same decision rows.
@Suite struct StreamedEvaluationTests {
    static let subjects = 3_000

    /// With the probe rule the key persons' facts are streamed too; the shipped rules alone
    /// read only the organisations each subject serves, through what each brings to the
    /// persons serving it (``RelatedContribution``), read once before the subjects.
    @Test(arguments: [("2025-06-30", true), ("2026-11-30", false), ("2026-11-30", true), ("2025-06-30", false)])
    func streamedMaterialisationEqualsPerSubjectEvaluation(day text: String, keyPersonProbe: Bool) async throws {
        try await onOwnThread {
            let dir = try TemporaryDirectory("streamed-evaluation")
            let registry = try Support.generatedRegistry(subjects: Self.subjects, seed: 77, in: dir)
            try DecisionSchema.migrate(registry)
            let rules = keyPersonProbe ? try Self.rulesWithKeyPersonProbe() : Support.shipped()
            #expect(rules.readsRelatedFacts)
            #expect(rules.readsKeyPersonsFacts == keyPersonProbe)
            #expect(rules.evaluatesThroughContributions == !keyPersonProbe)
            let day = Support.day(text)
            // One reader beside the writer (ParallelEvaluationTests compares several readers with one).
            let materialiser = DecisionMaterialiser(rules: rules, registry: registry, readers: 1)
            let all = "SELECT * FROM decision ORDER BY subject_code, measure, rule, valid_from, via_code, caused_by"

            let full = try registry.write { db in try materialiser.materialiseAll(asOf: day, in: db) }
            #expect(full.subjectsEvaluated > Self.subjects)
            let streamed = try registry.read { db in try Row.fetchAll(db, sql: all).map(\.description) }
            #expect(full.decisions == streamed.count)
            #expect(streamed.count > 20)
            // Measures that reach persons through the organisations they serve are among them.
            let viaPersons = try registry.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM decision WHERE via_code IS NOT NULL") ?? 0 }
            #expect(viaPersons > 0)

            let codes = try registry.read { db in try String.fetchAll(db, sql: "SELECT code FROM subject") }
            let perSubject = try registry.write { db in
                try materialiser.materialise(touched: codes, asOf: day, in: db)
                return try Row.fetchAll(db, sql: all).map(\.description)
            }
            #expect(perSubject.count == streamed.count)
            for (a, b) in zip(streamed, perSubject) where a != b {
                Issue.record("streamed \(a) ≠ per subject \(b)")
                break
            }
            // The probe rule fired: key persons' facts were read for the organisations.
            #expect(streamed.contains { $0.contains("probe_key_person") } == keyPersonProbe)
        }
    }

    /// The shipped rules and one rule that reads each organisation's key persons (their kind).
    static func rulesWithKeyPersonProbe() throws -> CompiledRuleSet {
        let probe = SourceFile(path: "key_person_probe.rules", text: """
            memorandum "测试〔2026〕1号" {
              title "关键人员条件的流式读取"
              date 2026-01-01
              targets abnormal_operations
            }
            measure probe_honours {
              text "取消参加评先评优资格"
              department civilisation
              basis "测试〔2026〕1号"
              basic b_honours
              category social
            }
            rule probe_key_person {
              title "法定代表人为自然人的经营异常企业"
              punish when listed abnormal_operations and key_person legal_representative (kind = natural_person)
              apply probe_honours
              to subject
              until exit
            }
            """)
        let loaded = RuleSetLoader.load(sources: Support.shippedFiles + [probe])
        return try #require(loaded.ruleSet, "\(loaded.renderedDiagnostics)")
    }
}
