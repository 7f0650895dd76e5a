import CreditTestSupport
import CreditOperations
import CreditQuery
import CreditRegistry
import Foundation
import GRDB
import NationalBridge
import Testing

/// Every look-up, search and batch check the use-case layer performs is in the audit log, and a
/// stored value the model cannot read is an error that names it, never a silent default.
@Suite final class AuditedUseCaseTests {
    static let samples = Support.rulesDir.deletingLastPathComponent().appendingPathComponent("samples")
    let scratch: TemporaryDirectory
    var dir: URL { scratch.url }
    let ops: CreditOperations

    init() throws {
        scratch = try TemporaryDirectory("audited")
        ops = try CreditOperations.open(path: scratch.path("credit.db"), clock: .fixed(Support.day("2025-07-10")))
        for f in ["feeds/commerce-0001-full.xml", "feeds/commerce-0002-delta.xml"] {
            #expect(try ops.ingestFeed(path: Self.samples.appendingPathComponent(f).path).report.outcome == .ingested)
        }
    }

    func actions(of actor: String) throws -> [String] {
        try ops.auditEntries(subject: nil, limit: 100)?.filter { $0.actor == actor }.map(\.action) ?? []
    }

    @Test func searchCheckAndMeasuresAreAudited() throws {
        let viewer = Viewer(actor: "test:bank", maySeePersonalIDs: false)
        _ = try ops.searchNames("华兴", viewer: viewer)
        let csv = Array("code,name\n91350200MA2XH1K70Y,华兴科技（厦门）有限公司\n".utf8)
        let (_, summary) = try ops.batchCheck(input: csv, options: .init(format: .csv), viewer: viewer)
        #expect(summary.rows == 1 && summary.found == 1)
        #expect(summary.asOf == Support.day("2025-07-10"), "the check is judged on the injected day")
        let found = try ops.measures("350200201603011", viewer: viewer)
        #expect(found?.registryCode == "91350200MA2XH1K70Y")
        #expect(try ops.measures("91350200MA0000000X", viewer: viewer) == nil)
        #expect(try actions(of: "test:bank") == ["search", "check", "lookup", "lookup"])
        #expect(try ops.verifyAudit().isIntact)
    }

    @Test func measuresMaskPersonalIDsForViewersWhoMayNotSeeThem() throws {
        let person = try #require(try ops.registry.read { db in
            try String.fetchOne(db, sql: "SELECT code FROM subject WHERE kind = 'natural_person' LIMIT 1")
        })
        let bank = try #require(try ops.measures(person, viewer: Viewer(actor: "test:bank", maySeePersonalIDs: false)))
        #expect(bank.code != person && bank.code.contains("*"))
        let officer = try #require(try ops.measures(person, viewer: Viewer(actor: "test:officer", maySeePersonalIDs: true)))
        #expect(officer.code == person)
        let entries = try #require(try ops.auditEntries(subject: person, limit: 10))
        #expect(!entries.contains { $0.detail.contains(person) }, "the audit detail never spells out the ID number")
    }

    @Test func aCorruptStoredDayIsAnErrorThatNamesIt() throws {
        try ops.registry.write { db in
            try db.execute(sql: "UPDATE subject SET status_since = 'not-a-day' WHERE code = '91350200MA2XH1K70Y'")
        }
        #expect {
            _ = try self.ops.registry.lookup("91350200MA2XH1K70Y")
        } throws: { error in
            guard let e = error as? StoredValueError else { return false }
            return e.table == "subject" && e.column == "status_since" && e.value == "not-a-day"
        }
    }
}
