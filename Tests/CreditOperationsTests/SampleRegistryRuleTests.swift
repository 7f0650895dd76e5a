import CreditTestSupport
import CreditOperations
import CreditQuery
import CreditRegistry
import Decisions
import FeedIngest
import Foundation
import GRDB
import NationalBridge
import Testing
@testable import RuleEngine

/// The shipped rules on the bundled samples, through a real registry (ingest → facts →
/// evaluation → materialised decisions).
@Suite struct SampleRegistryRuleTests {
    static let samples = Support.rulesDir.deletingLastPathComponent().appendingPathComponent("samples")

    let scratch: TemporaryDirectory
    let registry: Registry
    let rules: CompiledRuleSet

    init() throws {
        scratch = try TemporaryDirectory("rules-samples")
        let path = scratch.path("credit.db")
        registry = try Registry(path: path)
        try DecisionSchema.migrate(registry)
        for f in ["feeds/commerce-0001-full.xml", "feeds/commerce-0002-delta.xml", "feeds/food-0001-full.xml",
                  "feeds/tax-0001-full.xml", "encoding/food-0002-delta.utf8.xml"] {
            let r = try FeedIngestor(registry: registry).ingest(path: Self.samples.appendingPathComponent(f).path)
            #expect(r.outcome == .ingested && r.rejected == 0, "\(f)")
        }
        let n = try NationalBridge(operations: try CreditOperations(registry: registry))
            .importDishonestDebtors(path: Self.samples.appendingPathComponent("national/dishonest-debtors.csv").path).report
        #expect(n.outcome == .ingested && n.rejected == 0)
        rules = Support.shipped()
    }

    func person(_ name: String) throws -> String {
        try #require(try registry.read { db in try String.fetchOne(db, sql: "SELECT code FROM subject WHERE name = ? AND kind = 'natural_person'", arguments: [name]) })
    }

    func measures(_ code: String, _ day: String) throws -> Set<String> {
        Set(try RegistryEvaluator(rules: rules, registry: registry).decisions(for: code, asOf: Support.day(day)).map(\.measureID))
    }

    func decisions(_ code: String, _ day: String) throws -> [Decision] {
        try RegistryEvaluator(rules: rules, registry: registry).decisions(for: code, asOf: Support.day(day))
    }

    @Test func taxViolationReachesTheCompanyAndTheRepresentativeOnTheCaseDate() throws {
        let company = "91350200MA2XH1K70Y"   // case published 2024-03-15
        let ds = try decisions(company, "2024-06-01")
        #expect(ds.contains { $0.measureID == "tax_grade_d" && $0.kind == .punishment })
        #expect(ds.allSatisfy { !$0.causedBy.isEmpty })
        #expect(try decisions(company, "2024-03-14").filter { $0.memorandum.contains("3062") || $0.memorandum.contains("2798") }.isEmpty)

        let current = try person("陈建国")      // legal representative since 2021-06-01
        let former = try person("林志强")       // left 2021-05-31, before the case
        let reached = try decisions(current, "2024-06-01").filter { $0.via?.organisation == company }
        #expect(!reached.isEmpty)
        #expect(reached.allSatisfy { $0.via?.role == .legalRepresentative || $0.via?.role == .financeChief })
        #expect(try decisions(former, "2024-06-01").filter { $0.via?.organisation == company }.isEmpty)
    }

    @Test func aGradeIncentivesEndOnTheDayOfListing() throws {
        let c02 = "91350200MA2YD3F81E"   // A for 2022 and 2023; tax case published 2025-03-20
        let before = try decisions(c02, "2025-03-19")
        #expect(before.contains { $0.kind == .incentive })
        #expect(!before.contains { $0.kind == .punishment })
        let on = try decisions(c02, "2025-03-20")
        #expect(!on.contains { $0.kind == .incentive })
        #expect(on.contains { $0.kind == .punishment })
    }

    @Test func anEndedListingGivesNoMeasureAfterItsEndButDoesBefore() throws {
        let c05 = "91350200MA33NP5D74"   // dishonest debtor 2021-09-15 → exit 2023-09-15
        let during = try decisions(c05, "2023-09-14").filter { $0.memorandum.contains("141号") }
        #expect(!during.isEmpty)
        #expect(try decisions(c05, "2023-09-15").filter { $0.memorandum.contains("141号") }.isEmpty)
        let c04 = "91350200MA32LM4C2D"   // ground 3 from 2024-06-03, no removal from the court yet
        #expect(!(try decisions(c04, "2026-06-02")).filter { $0.memorandum.contains("141号") }.isEmpty)
        // Two years is only the expected term: the court may extend, so the measures last until its removal.
        #expect(!(try decisions(c04, "2026-06-03")).filter { $0.memorandum.contains("141号") }.isEmpty)
    }

    @Test func fileOrderDoesNotChangeAnyDecision() throws {
        let files = Support.shippedFiles
        let reversed = try #require(RuleSetLoader.load(sources: files.reversed()).ruleSet)
        var rotated = files
        rotated.append(rotated.removeFirst())
        let other = try #require(RuleSetLoader.load(sources: rotated).ruleSet)
        #expect(reversed.version == rules.version && other.version == rules.version)
        let codes = try registry.read { db in try String.fetchAll(db, sql: "SELECT code FROM subject ORDER BY code") }
        for day in ["2023-01-01", "2025-03-20", "2026-11-01"] {
            for code in codes {
                let a = try RegistryEvaluator(rules: rules, registry: registry).decisions(for: code, asOf: Support.day(day))
                #expect(a == (try RegistryEvaluator(rules: reversed, registry: registry).decisions(for: code, asOf: Support.day(day))))
                #expect(a == (try RegistryEvaluator(rules: other, registry: registry).decisions(for: code, asOf: Support.day(day))))
            }
        }
    }

    @Test func materialisedDecisionsEqualPerSubjectEvaluation() throws {
        let day = Support.day("2025-08-01")
        let materialiser = DecisionMaterialiser(rules: rules, registry: registry)
        let summary = try registry.write { db in try materialiser.materialiseAll(asOf: day, in: db) }
        #expect(summary.decisions > 0)
        let codes = try registry.read { db in try String.fetchAll(db, sql: "SELECT code FROM subject ORDER BY code") }
        for code in codes {
            let stored = try registry.read { db in
                try String.fetchAll(db, sql: "SELECT measure FROM decision WHERE subject_code = ? ORDER BY measure", arguments: [code])
            }
            let direct = try decisions(code, "2025-08-01").map(\.measureID).sorted()
            #expect(stored == direct, "\(code)")
        }
        // Incremental re-evaluation of one subject and its relations gives the same table.
        let before = try registry.read { db in try String.fetchAll(db, sql: "SELECT subject_code || measure FROM decision ORDER BY 1") }
        let inc = try registry.write { db in try materialiser.materialise(touched: ["91350200MA2XH1K70Y"], asOf: day, in: db) }
        #expect(inc.subjectsEvaluated >= 3 && inc.subjectsEvaluated < codes.count)
        #expect(try registry.read { db in try String.fetchAll(db, sql: "SELECT subject_code || measure FROM decision ORDER BY 1") } == before)
    }

    @Test func impactDiffShowsGainsAndLosses() throws {
        // Candidate: the shipped rules without the A-grade memorandum.
        let without = Support.shippedFiles.filter { !$0.path.contains("a_grade") }
        let candidate = try #require(RuleSetLoader.load(sources: without).ruleSet)
        let diff = try ImpactDiff.compute(candidate: candidate, current: rules, registry: registry, asOf: Support.day("2024-06-01"))
        #expect(!diff.changes.isEmpty)
        #expect(diff.changes.allSatisfy { $0.gained.isEmpty && !$0.lost.isEmpty })
        #expect(diff.lostByMeasure.keys.allSatisfy { rules.measure($0) != nil && candidate.measure($0) == nil })
        let same = try ImpactDiff.compute(candidate: rules, current: rules, registry: registry, asOf: Support.day("2024-06-01"))
        #expect(same.changes.isEmpty)
    }

    @Test func everySampleReportListsExactlyTheRulesMeasuresWithCauses() throws {
        let today = Support.day("2025-07-10")
        _ = try registry.write { db in try DecisionMaterialiser(rules: rules, registry: registry).materialiseAll(asOf: today, in: db) }
        let provider = RuleDecisionProvider(rules: rules, registry: registry, materialisedOn: today)
        let builder = ReportBuilder(registry: registry, decisions: provider)
        let codes = try registry.read { db in try String.fetchAll(db, sql: "SELECT code FROM subject ORDER BY code") }
        for day in [today, Support.day("2024-06-01"), Support.day("2021-01-01")] {
            for code in codes {
                let report = try #require(try builder.report(for: code, options: .init(asOf: day, actor: "test")))
                let expected = try decisions(code, day.description)
                #expect(report.measures.map(\.measure).sorted() == expected.map(\.measureID).sorted(), "\(code) on \(day)")
                #expect(report.measures.allSatisfy { !$0.causes.isEmpty }, "\(code) on \(day): a measure without its cause")
            }
        }
        // A past date shows what applied then: C02's A-grade incentives before its listing.
        let past = try #require(try builder.report(for: "91350200MA2YD3F81E", options: .init(asOf: Support.day("2025-03-19"), actor: "test")))
        #expect(past.measures.contains { $0.kind == .incentive })
        #expect(!past.measures.contains { $0.kind == .punishment })
    }

    @Test func reportByLegacyRegistrationNumberEqualsReportByCreditCode() throws {
        let builder = ReportBuilder(registry: registry, decisions: RuleDecisionProvider(rules: rules, registry: registry, materialisedOn: nil))
        let options = ReportBuilder.Options(asOf: Support.day("2024-06-01"), actor: "test")
        let byCode = try #require(try builder.report(for: "91350200MA2XH1K70Y", options: options))
        let byLegacy = try #require(try builder.report(for: "350200201603011", options: options))
        let byOrgCode = try #require(try builder.report(for: "MA2XH1K7-0", options: options))
        #expect(byCode == byLegacy)
        #expect(byCode == byOrgCode)
        #expect(!byCode.measures.isEmpty)
    }
}

fileprivate extension ReportBuilder {
    /// The report without its audit entries (these tests check reports, not the audit log).
    func report(for identifier: String, options: Options) throws -> SubjectReport? { try lookUp(identifier, options: options).report }
}
