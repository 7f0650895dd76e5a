import CreditTestSupport
import Foundation
import GRDB
import Testing
import CreditQuery
@testable import CreditRegistry
import CreditSamples
import Decisions
import FeedIngest

/// Ingest through real libxml2 and a real SQLite file, on small feeds written per test.
@Suite struct FeedIngestTests {
    static let company = "91350100M000100Y43"
    static let other = "914403001922038216"
    static let rep = "11010519491231002X"

    let scratch: TemporaryDirectory
    var dir: URL { scratch.url }
    let registry: Registry

    init() throws {
        scratch = try TemporaryDirectory("ingest")
        registry = try Registry(path: scratch.path("credit.db"))
    }

    func feed(_ name: String, bureau: String = "commerce", id: String, seq: Int, kind: String = "full", _ body: String) throws -> String {
        let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <feed xmlns="urn:credit-engine:feed:\(bureau):1" version="1.0">
          <header><bureau>\(bureau)</bureau><feedId>\(id)</feedId><sequence>\(seq)</sequence><generatedAt>2024-01-02T08:00:00+08:00</generatedAt><kind>\(kind)</kind></header>
        \(body)
        </feed>
        """
        let path = dir.appendingPathComponent(name).path
        try xml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func registration(key: String = "R1", code: String = company, name: String = "福州恒达科技有限公司",
                             rep: String = FeedIngestTests.rep, repFrom: String = "2015-03-01") -> String {
        """
          <registration key="\(key)" op="upsert">
            <event>new</event><eventDate>2015-03-01</eventDate><code>\(code)</code><name>\(name)</name>
            <kind>enterprise</kind><status>active</status><established>2015-03-01</established><authority>福州市市场监督管理局</authority>
            <person><role>legal_representative</role><name>张丽</name><id>\(rep)</id><from>\(repFrom)</from></person>
          </registration>
        """
    }

    static func penalty(key: String, code: String = company, doc: String = "榕市监罚〔2023〕12号", fine: String = "1.5",
                        severity: String = "general", op: String = "upsert") -> String {
        """
          <penalty key="\(key)" op="\(op)">
            <code>\(code)</code><name>福州恒达科技有限公司</name><documentNumber>\(doc)</documentNumber>
            <type>罚款</type><type>警告</type><facts>虚假宣传</facts><basis>《广告法》第五十五条</basis><content>罚款1.5万元</content>
            <fine>\(fine)</fine><decisionDate>2023-05-10</decisionDate><severity>\(severity)</severity>
            <authority>福州市市场监督管理局</authority><authorityCode>\(other)</authorityCode>
          </penalty>
        """
    }

    func count(_ table: String) throws -> Int {
        try registry.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
    }

    @Test func ingestsAndDerivesState() throws {
        let path = try feed("c1.xml", id: "C-1", seq: 1, Self.registration() + Self.penalty(key: "P1"))
        let report = try FeedIngestor(registry: registry).ingest(path: path)
        #expect(report.outcome == .ingested, "\(report.reason ?? "")")
        #expect(report.read == 2 && report.new == 2 && report.rejected == 0)
        let s = try #require(try registry.lookup(Self.company))
        #expect(s.name == "福州恒达科技有限公司")
        let facts = try #require(try registry.facts(of: Self.company))
        #expect(facts.penalties.count == 1)
        #expect(facts.penalties[0].fineMicroWan == 1_500_000)
        #expect(facts.penalties[0].types == ["罚款", "警告"])
        #expect(facts.keyPersons.map(\.to) == [Self.rep])
        #expect(try registry.lookup(Self.rep)?.kind == .naturalPerson)
        let recs = try registry.read { [registry] db in try registry.records(of: Self.company, in: db) }
        #expect(recs.map(\.line).allSatisfy { $0 > 3 })
    }

    @Test func reIngestIsANoOp() throws {
        let path = try feed("c1.xml", id: "C-1", seq: 1, Self.registration() + Self.penalty(key: "P1"))
        let ingestor = FeedIngestor(registry: registry)
        _ = try ingestor.ingest(path: path)
        let before = try count("record")
        let again = try ingestor.ingest(path: path)
        #expect(again.outcome == .alreadyIngested)
        #expect(again.unchanged == 2)
        #expect(try count("record") == before)
        #expect(try count("feed") == 1)
    }

    /// A bureau's first feed probes no head for a key it has not given one yet; a key that comes
    /// twice in that feed is still found: unchanged when repeated as is, a correction when not,
    /// revoked when revoked — the same counts and heads as when the bureau had heads before.
    @Test func aKeyRepeatedInTheFirstFeedIsFound() throws {
        let body = Self.registration() + Self.penalty(key: "P1") + Self.penalty(key: "P2") + Self.penalty(key: "P1") +
            Self.penalty(key: "P2", fine: "3") + Self.penalty(key: "P3") + Self.penalty(key: "P3", op: "revoke")
        let first = try FeedIngestor(registry: registry).ingest(path: try feed("c1.xml", id: "C-1", seq: 1, body))
        #expect(first.outcome == .ingested, "\(first.reason ?? "")")
        #expect(first.read == 7 && first.new == 4 && first.unchanged == 1 && first.changed == 1 && first.revoked == 1)
        // The same records after the bureau already has a head: the probe runs for every key.
        let again = try TemporaryDirectory("ingest-known")
        let known = try Registry(path: again.path("credit.db"))
        let seeded = try FeedIngestor(registry: known).ingest(path: try feed("c0.xml", id: "C-0", seq: 1, Self.penalty(key: "P0")))
        #expect(seeded.new == 1)
        let second = try FeedIngestor(registry: known).ingest(path: try feed("c1b.xml", id: "C-1", seq: 2, body))
        let counts = { (r: IngestReport) -> [Int] in [r.read, r.new, r.unchanged, r.changed, r.revoked] }
        #expect(counts(second) == counts(first))
        let heads = { (r: Registry) in
            try r.read { db in try String.fetchAll(db, sql: """
                SELECT h.bureau_key || ' ' || h.revoked || ' ' || r.payload FROM record_head h JOIN record r ON r.id = h.record_id
                WHERE h.bureau_key <> 'P0' ORDER BY h.bureau_key
                """) }
        }
        #expect(try heads(registry) == heads(known))
        #expect(try heads(registry).count == 4)
    }

    @Test func deltaCorrectsAndRevokesKeepingHistory() throws {
        let ingestor = FeedIngestor(registry: registry)
        _ = try ingestor.ingest(path: try feed("c1.xml", id: "C-1", seq: 1,
                                               Self.registration() + Self.penalty(key: "P1") + Self.penalty(key: "P2", doc: "榕市监罚〔2023〕13号")))
        let delta = try ingestor.ingest(path: try feed("c2.xml", id: "C-2", seq: 2, kind: "delta",
                                                       Self.registration() + Self.penalty(key: "P1", fine: "3") +
                                                       Self.penalty(key: "P2", doc: "榕市监罚〔2023〕13号", op: "revoke")))
        #expect(delta.outcome == .ingested)
        #expect(delta.unchanged == 1 && delta.changed == 1 && delta.revoked == 1)
        let facts = try #require(try registry.facts(of: Self.company))
        let p1 = try #require(facts.penalties.first { $0.documentNumber == "榕市监罚〔2023〕12号" })
        #expect(p1.fineMicroWan == 3_000_000)
        #expect(facts.penalties.first { $0.documentNumber == "榕市监罚〔2023〕13号" }?.revokedOn != nil)
        let history = try registry.read { db in
            try String.fetchAll(db, sql: "SELECT payload FROM record WHERE bureau_key = 'P1' ORDER BY id")
        }
        #expect(history.count == 2, "the corrected record stays in history")
        #expect(history[0].contains("\"fine\":\"1.5\"") && history[1].contains("\"fine\":\"3\""))
    }

    @Test func outOfSequenceDeltaIsRefusedWhole() throws {
        let ingestor = FeedIngestor(registry: registry)
        _ = try ingestor.ingest(path: try feed("c1.xml", id: "C-1", seq: 1, Self.registration()))
        let r = try ingestor.ingest(path: try feed("c3.xml", id: "C-3", seq: 3, kind: "delta", Self.penalty(key: "P9")))
        #expect(r.outcome == .refused)
        #expect(r.reason?.contains("expected sequence 2") == true)
        #expect(try count("penalty") == 0)
        #expect(try count("feed") == 1)
    }

    @Test func badRecordsAreQuarantinedAndTheRestGoesOn() throws {
        // A USCC whose check character is wrong passes the schema pattern; a penalty for a
        // subject no registration named introduces it instead of being lost.
        let badCheck = Self.penalty(key: "P-bad", code: "91350100M000100Y44")
        let unknown = Self.penalty(key: "P-unknown", code: Self.other)
        let path = try feed("c1.xml", id: "C-1", seq: 1, Self.registration() + badCheck + unknown + Self.penalty(key: "P-ok"))
        let r = try FeedIngestor(registry: registry).ingest(path: path)
        #expect(r.outcome == .ingested)
        #expect(r.new == 3 && r.rejected == 1)
        let byKey = Dictionary(uniqueKeysWithValues: r.rejects.map { ($0.key ?? "", $0) })
        #expect(byKey["P-bad"]?.field == "code")
        #expect(byKey["P-bad"]?.reason.contains("18") == true)
        #expect(byKey["P-bad"]?.line ?? 0 > 5)
        #expect(try registry.lookup(Self.other) != nil, "the penalty introduced its subject")
        #expect(try count("reject") == 1)
    }

    @Test func legalRepresentativeChangeEndsThePreviousRole() throws {
        let ingestor = FeedIngestor(registry: registry)
        _ = try ingestor.ingest(path: try feed("c1.xml", id: "C-1", seq: 1, Self.registration(rep: "350102198001010011")))
        _ = try ingestor.ingest(path: try feed("c2.xml", id: "C-2", seq: 2, kind: "delta",
                                               Self.registration(key: "R1", rep: Self.rep, repFrom: "2020-01-01")))
        let facts = try #require(try registry.facts(of: Self.company))
        let onDay = { (d: String) in facts.keyPersons.filter { $0.role == .legalRepresentative && $0.isHeld(on: try! Day(d)) }.map(\.to) }
        #expect(onDay("2019-06-01") == ["350102198001010011"])
        #expect(onDay("2021-06-01") == [Self.rep])
    }

    @Test func truncatedFeedStoresNothing() throws {
        let good = try feed("c1.xml", id: "C-1", seq: 1, Self.registration() + Self.penalty(key: "P1"))
        let text = try String(contentsOfFile: good, encoding: .utf8)
        let truncated = dir.appendingPathComponent("trunc.xml").path
        try String(text.prefix(text.count - 60)).write(toFile: truncated, atomically: true, encoding: .utf8)
        let r = try FeedIngestor(registry: registry).ingest(path: truncated)
        #expect(r.outcome == .refused)
        #expect(try count("subject") == 0)
        #expect(try count("record") == 0)
        #expect(try count("feed") == 0)
    }
}
