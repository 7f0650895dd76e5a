import CreditTestSupport
import CreditOperations
import CreditQuery
import CreditRegistry
import Foundation
import GRDB
import Testing

/// An officer's look-up never waits for a writer: while another connection holds the registry's
/// write lock (as a long feed ingest or rule activation does), look-ups, searches and batch
/// checks answer from a snapshot and their audit entries commit to the audit log's own file.
@Suite final class LookupsDuringWritesTests {
    static let samples = Support.rulesDir.deletingLastPathComponent().appendingPathComponent("samples")
    let scratch: TemporaryDirectory
    let path: String
    let ops: CreditOperations

    init() throws {
        scratch = try TemporaryDirectory("writers")
        path = scratch.path("credit.db")
        ops = try CreditOperations.open(path: path, clock: .fixed(Support.day("2025-07-10")))
        for f in ["feeds/commerce-0001-full.xml", "feeds/commerce-0002-delta.xml"] {
            _ = try ops.ingestFeed(path: Self.samples.appendingPathComponent(f).path)
        }
        _ = try ops.activateRules(paths: [Support.rulesDir.path], author: "test")
    }

    @Test func lookUpsAnswerAndAreAuditedWhileAWriterHoldsTheRegistry() throws {
        let before = try ops.auditEntries(subject: nil, limit: 1000)?.count ?? 0
        let lock = try HeldWriteLock(path)
        defer { try? lock.release() }
        let viewer = Viewer(actor: "test:officer", maySeePersonalIDs: true)
        for _ in 0..<20 {
            #expect(try ops.measures("91350200MA2XH1K70Y", viewer: viewer)?.registryCode == "91350200MA2XH1K70Y")
        }
        #expect(try ops.report("91350200MA2XH1K70Y", options: .init(actor: "test:officer")) != nil)
        #expect(try !ops.searchNames("华兴", viewer: viewer).isEmpty)
        let csv = Array("code\n91350200MA2XH1K70Y\n".utf8)
        #expect(try ops.batchCheck(input: csv, options: .init(format: .csv), viewer: viewer).summary.found == 1)
        let after = try #require(try ops.auditEntries(subject: nil, limit: 1000))
        #expect(after.count == before + 23)
        #expect(try ops.verifyAudit().isIntact)
    }
}
