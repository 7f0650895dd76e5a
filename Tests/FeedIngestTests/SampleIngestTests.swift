import CreditTestSupport
import Foundation
import GRDB
import Testing
import CreditQuery
@testable import CreditRegistry
import CreditSamples
import Decisions
import FeedIngest

/// The bundled bad feeds, ingested for real: each is handled as documented in samples/README.md.
@Suite struct SampleIngestTests {
    /// A fresh registry holding the two good commerce feeds (sequence 1 and 2).
    let scratch: TemporaryDirectory
    init() throws { scratch = try TemporaryDirectory("samples") }

    func baseRegistry() throws -> Registry {
        let path = scratch.path("samples-\(UUID().uuidString).db")
        let registry = try Registry(path: path)
        for f in ["feeds/commerce-0001-full.xml", "feeds/commerce-0002-delta.xml"] {
            let r = try FeedIngestor(registry: registry).ingest(path: SampleFiles.path(f))
            #expect(r.outcome == .ingested && r.rejected == 0, "\(f): \(r.reason ?? "")")
        }
        return registry
    }

    static func dump(_ registry: Registry) throws -> [String] { try registry.snapshot() }

    @Test func schemaInvalidRecordsAreQuarantinedWithLineAndField() throws {
        let registry = try baseRegistry()
        let r = try FeedIngestor(registry: registry).ingest(path: SampleFiles.path("bad/commerce-schema-invalid.xml"))
        #expect(r.outcome == .ingested)
        #expect(r.rejected == 2)
        #expect(r.new + r.changed + r.unchanged == 3)
        let bad = Dictionary(uniqueKeysWithValues: r.rejects.map { ($0.key ?? "", $0) })
        #expect(bad["PEN-BAD-FINE"]?.line == 42)
        #expect(bad["PEN-BAD-FINE"]?.field == "fine")
        #expect(bad["PEN-BAD-NOSEV"] != nil)
        let stored = try registry.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reject") }
        #expect(stored == 2)
    }

    @Test func wrongCheckCharactersAreQuarantined() throws {
        let registry = try baseRegistry()
        let r = try FeedIngestor(registry: registry).ingest(path: SampleFiles.path("bad/commerce-bad-check-digit.xml"))
        #expect(r.outcome == .ingested)
        let keys = Set(r.rejects.compactMap(\.key))
        #expect(keys == ["REG-C20-BADCHECK", "REG-C26-BADID"])
        let byKey = Dictionary(uniqueKeysWithValues: r.rejects.map { ($0.key ?? "", $0) })
        #expect(byKey["REG-C20-BADCHECK"]?.field == "code")
        #expect(byKey["REG-C20-BADCHECK"]?.reason.contains("position 18") == true)
        #expect(byKey["REG-C26-BADID"]?.field?.hasPrefix("person") == true)
    }

    @Test func aSubjectNoRegistrationNamedIsIntroducedByItsPenalty() throws {
        let registry = try baseRegistry()
        let r = try FeedIngestor(registry: registry).ingest(path: SampleFiles.path("bad/commerce-unknown-subject-delta.xml"))
        #expect(r.outcome == .ingested)
        #expect(r.rejected == 0 && r.new == 1)
        let subject = try #require(try registry.lookup("91350200MA3PRT7C4M"))
        #expect(subject.name == "厦门未登记贸易有限公司")
        #expect(try registry.facts(of: "91350200MA3PRT7C4M")?.penalties.count == 1)
    }

    @Test(arguments: ["bad/commerce-truncated.xml", "bad/commerce-xxe.xml", "bad/commerce-billion-laughs.xml", "bad/unknown-namespace.xml"])
    func refusedFeedsLeaveTheRegistryUnchanged(_ file: String) throws {
        let registry = try baseRegistry()
        let before = try Self.dump(registry)
        let r = try FeedIngestor(registry: registry).ingest(path: SampleFiles.path(file))
        #expect(r.outcome == .refused)
        #expect(r.reason?.isEmpty == false)
        #expect(try Self.dump(registry) == before)
    }

    @Test func xxeNeverReadsTheLocalFile() throws {
        let registry = try baseRegistry()
        let r = try FeedIngestor(registry: registry).ingest(path: SampleFiles.path("bad/commerce-xxe.xml"))
        #expect(r.outcome == .refused)
        let host = (try? String(contentsOfFile: "/etc/hostname", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if host.count >= 4 {
            #expect(!(r.reason ?? "").contains(host))
            #expect(!(try Self.dump(registry)).contains { $0.contains(host) })
        }
    }

    @Test func gb18030FeedStoresTheSameNamesAsItsUTF8Twin() throws {
        func ingestTwin(_ twin: String) throws -> [String] {
            let registry = try baseRegistry()
            _ = try FeedIngestor(registry: registry).ingest(path: SampleFiles.path("feeds/food-0001-full.xml"))
            let r = try FeedIngestor(registry: registry).ingest(path: SampleFiles.path(twin))
            #expect(r.outcome == .ingested && r.rejected == 0, "\(twin): \(r.reason ?? "") \(r.rejects)")
            return try registry.read { db in
                try String.fetchAll(db, sql: "SELECT payload FROM record WHERE feed_id = (SELECT MAX(id) FROM feed) ORDER BY bureau_key")
            }
        }
        let utf8 = try ingestTwin("encoding/food-0002-delta.utf8.xml")
        let gb = try ingestTwin("encoding/food-0002-delta.gb18030.xml")
        #expect(utf8.count == 2)
        #expect(utf8 == gb)
        #expect(gb.joined().contains("𠀾"))
    }

    @Test func reIngestingEveryGoodFeedChangesNothing() throws {
        let registry = try baseRegistry()
        let files = ["feeds/food-0001-full.xml", "feeds/tax-0001-full.xml", "encoding/food-0002-delta.utf8.xml"]
        for f in files { _ = try FeedIngestor(registry: registry).ingest(path: SampleFiles.path(f)) }
        let before = try Self.dump(registry)
        for f in ["feeds/commerce-0001-full.xml", "feeds/commerce-0002-delta.xml"] + files {
            let r = try FeedIngestor(registry: registry).ingest(path: SampleFiles.path(f))
            #expect(r.outcome == .alreadyIngested, "\(f)")
        }
        #expect(try Self.dump(registry) == before)
    }
}
