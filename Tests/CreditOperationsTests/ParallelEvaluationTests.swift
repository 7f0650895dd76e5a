import CreditTestSupport
import CreditRegistry
import CreditSamples
import Decisions
import FeedIngest
import Foundation
import GRDB
import RuleEngine
import Testing

/// A full materialisation read and evaluated by several connections over ranges of subject
/// codes must write exactly the rows, in exactly the order, that one reader streaming the whole
/// registry writes: many small ranges and every kind of rule set (rules on own facts only,
/// rules reading key persons' facts, the shipped rules reading the organisations each person
/// serves through their contributions), and one range for all.
@Suite struct ParallelEvaluationTests {
    @Test func rangesReadInParallelWriteTheSameRowsAsOneStream() async throws {
        try await onOwnThread {
            let dir = try TemporaryDirectory("parallel-evaluation")
            let registry = try Support.generatedRegistry(subjects: 600, seed: 31, in: dir)
            try DecisionSchema.migrate(registry)
            let day = Support.day("2026-11-30")
            let withRelated = try StreamedEvaluationTests.rulesWithKeyPersonProbe()
            let ownOnly = try Self.rulesOnOwnFacts()
            #expect(withRelated.readsRelatedFacts)
            #expect(!ownOnly.readsRelatedFacts)
            let shipped = Support.shipped()
            #expect(shipped.evaluatesThroughContributions)
            // Rows in the order they were written (rowid), every column.
            let written = "SELECT rowid, * FROM decision ORDER BY rowid"
            for rules in [withRelated, ownOnly, shipped] {
                func run(readers: Int, perRange: Int) throws -> (DecisionMaterialiser.Summary, [String]) {
                    var configured = DecisionMaterialiser(rules: rules, registry: registry, readers: readers)
                    configured.subjectsPerRange = perRange
                    let m = configured
                    return try registry.write { db in
                        let s = try m.materialiseAll(asOf: day, in: db)
                        return (s, try Row.fetchAll(db, sql: written).map(\.description))
                    }
                }
                let (one, oneRows) = try run(readers: 1, perRange: 4096)
                #expect(oneRows.count > 0)
                for (readers, perRange) in [(2, 61), (2, 1_000_000)] {
                    let (many, manyRows) = try run(readers: readers, perRange: perRange)
                    #expect(many.subjectsEvaluated == one.subjectsEvaluated, "\(readers) readers, \(perRange) a range")
                    #expect(many.subjectsWithMeasures == one.subjectsWithMeasures)
                    #expect(many.decisions == one.decisions)
                    #expect(manyRows.count == oneRows.count)
                    for (a, b) in zip(manyRows, oneRows) where a != b {
                        Issue.record("\(readers) readers, \(perRange) a range: \(a) ≠ \(b)")
                        break
                    }
                }
            }
        }
    }

    /// One rule that reads the subject's own facts only (with the shipped catalogue).
    static func rulesOnOwnFacts() throws -> CompiledRuleSet {
        let source = SourceFile(path: "own_facts.rules", text: """
            memorandum "测试〔2026〕2号" {
              title "只读本主体事实的规则"
              date 2026-01-01
              targets abnormal_operations
            }
            measure own_honours {
              text "取消参加评先评优资格"
              department civilisation
              basis "测试〔2026〕2号"
              basic b_honours
              category social
            }
            rule own_abnormal {
              title "经营异常企业"
              punish when listed abnormal_operations
              apply own_honours
              to subject
              until exit
            }
            """)
        // The shipped catalogue (lists, departments, the basic list) and this rule alone.
        let catalogue = Support.shippedFiles.filter { ($0.path as NSString).lastPathComponent.hasPrefix("_") }
        let loaded = RuleSetLoader.load(sources: catalogue + [source])
        return try #require(loaded.ruleSet, "\(loaded.renderedDiagnostics)")
    }

    @Test func codeRangesCoverEverySubjectOnce() throws {
        let dir = try TemporaryDirectory("code-ranges")
        let registry = try Registry(path: dir.path("credit.db"))
        try registry.write { db in
            for i in 0..<1_000 { try registry.upsert(Subject(code: String(format: "C%05d", i * 7 % 1_000), kind: .enterprise, name: "企业\(i)"), in: db) }
        }
        for per in [1, 3, 999, 1_000, 5_000] {
            let counts = try registry.read { db in
                try CodeRange.split(subjectsPerRange: per, in: db).map { r in
                    try FactsStreamCount.subjects(in: r, db: db)
                }
            }
            #expect(counts.reduce(0, +) == 1_000, "\(per)")
            #expect(counts.dropLast().allSatisfy { $0 == per }, "\(per)")
        }
    }
}

/// Counts the subjects a ranged facts stream yields.
enum FactsStreamCount {
    static func subjects(in range: CodeRange, db: Database) throws -> Int {
        var stream = try FactsStream(db: db, range: range)
        var n = 0
        while try stream.next() != nil { n += 1 }
        return n
    }
}
