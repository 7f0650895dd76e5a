import CreditTestSupport
import CreditOperations
import CreditRegistry
import Decisions
import FeedIngest
import Foundation
import GRDB
import Testing
@testable import RuleEngine

/// A measure that rests on a fact the registry cannot see is "to verify" until an officer
/// records the fact; the record is stored, audited and followed by the next evaluation.
@Suite struct VerificationTests {
    let scratch: TemporaryDirectory
    let registry: Registry
    let ops: CreditOperations
    let rules: CompiledRuleSet

    init() throws {
        scratch = try TemporaryDirectory("verification")
        registry = try Registry(path: scratch.path("credit.db"))
        ops = try CreditOperations(registry: registry, clock: .fixed(Support.day("2024-06-01")))
        let samples = Support.rulesDir.deletingLastPathComponent().appendingPathComponent("samples")
        for f in ["feeds/commerce-0001-full.xml", "feeds/commerce-0002-delta.xml", "feeds/tax-0001-full.xml"] {
            let r = try FeedIngestor(registry: registry).ingest(path: samples.appendingPathComponent(f).path)
            #expect(r.outcome == .ingested && r.rejected == 0, "\(f)")
        }
        rules = Support.shipped()
    }

    func exitBan(_ person: String) throws -> Decision? {
        try RegistryEvaluator(rules: rules, registry: registry).decisions(for: person, asOf: Support.day("2024-06-01"))
            .first { $0.measureID == "tax_exit_ban" }
    }

    @Test func exitBanIsToVerifyUntilTheUnpaidTaxIsRecorded() throws {
        let company = "91350200MA2XH1K70Y"
        let rep = try #require(try registry.read { db in
            try String.fetchOne(db, sql: "SELECT code FROM subject WHERE name = ? AND kind = 'natural_person'", arguments: ["陈建国"])
        })
        let unknown = try #require(try exitBan(rep))
        #expect(unknown.toVerify == ["tax_unpaid"])

        let viewer = Viewer(actor: "test:officer-01", maySeePersonalIDs: false)
        let denied = try ops.recordVerification(VerificationRequest(identifier: company, fact: .taxUnpaid, holds: false), viewer: viewer)
        #expect(denied.subject == company && !denied.holds)
        #expect(try exitBan(rep) == nil)

        _ = try ops.recordVerification(VerificationRequest(identifier: company, fact: .taxUnpaid, holds: true,
                                                           from: Support.day("2024-03-15")), viewer: viewer)
        let confirmed = try #require(try exitBan(rep))
        #expect(confirmed.toVerify.isEmpty)
        let stored = try registry.read { db in try VerificationStore.facts(of: company, asOf: Support.day("2024-06-01"), in: db) }
        #expect(stored.map(\.holds) == [true])
        #expect(try #require(try ops.auditEntries(subject: company, limit: 10)).filter { $0.action == "verify" }.count == 2)
    }

    @Test func unknownSubjectAndEmptyPeriodAreRefused() throws {
        let viewer = Viewer(actor: "test:officer-01", maySeePersonalIDs: false)
        #expect(throws: VerificationRequestError.self) {
            try ops.recordVerification(VerificationRequest(identifier: "91350100M000100Y43", fact: .taxUnpaid, holds: true), viewer: viewer)
        }
        #expect(throws: VerificationError.self) {
            try ops.recordVerification(VerificationRequest(identifier: "91350200MA2XH1K70Y", fact: .taxCrimeSentence, holds: true,
                                                           from: Support.day("2024-01-01"), until: Support.day("2023-01-01")), viewer: viewer)
        }
    }
}
