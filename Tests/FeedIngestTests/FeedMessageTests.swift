import CreditTestSupport
import Foundation
import GRDB
import Testing
@testable import CreditRegistry
import FeedIngest

/// The refusals that used to speak libxml2 ("Extra content at the end of the document", "not an
/// element of the set .", "no root element found") or SQLite ("UNIQUE constraint failed") now
/// say what is wrong and where.
@Suite struct FeedMessageTests {
    let scratch: TemporaryDirectory
    let registry: Registry
    let delta: String

    init() throws {
        scratch = try TemporaryDirectory("feed-messages")
        registry = try Registry(path: scratch.path("credit.db"))
        delta = try String(contentsOfFile: SampleFiles.path("feeds/commerce-0002-delta.xml"), encoding: .utf8)
    }

    func refusal(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = scratch.path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let report = try FeedIngestor(registry: registry).ingest(path: path)
        #expect(report.outcome == .refused)
        return report.reason ?? ""
    }

    @Test func item6_emptyAndBlankFeedsSaySo() throws {
        #expect(try refusal("empty.xml", []).hasSuffix("empty.xml: the feed is empty (0 bytes)"))
        let blank = try refusal("blank.xml", Array("  \n\n ".utf8))
        #expect(blank.contains("the feed holds only white space"), "\(blank)")
    }

    /// A feed cut at any point says it is truncated (or, before the root, that it has none) — never
    /// "Extra content at the end of the document".
    @Test func item6_truncatedFeedsSayTheyAreTruncated() throws {
        let bytes = Array(delta.utf8)
        let root = try #require(FeedBytes.index(of: "<feed", in: bytes))
        for cut in stride(from: 1, to: bytes.count - 1, by: 7) {
            let path = scratch.path("cut-\(cut).xml")
            try Data(bytes[0..<cut]).write(to: URL(fileURLWithPath: path))
            let error = SampleFiles.feedError { () throws(FeedError) in _ = try SampleFiles.readAll(path) }
            let reason = try #require(error, "cut at \(cut) was read").description
            #expect(!reason.contains("Extra content") || reason.contains("truncated"), "cut at \(cut): \(reason)")
            if cut > root + 60 {
                #expect(reason.contains("the feed is truncated"), "cut at \(cut): \(reason)")
            } else {
                #expect(reason.contains("truncated") || reason.contains("no <feed> element"), "cut at \(cut): \(reason)")
            }
        }
    }

    @Test func item6_bureauAndNamespaceMismatchNamesBoth() throws {
        let reason = try refusal("mismatch.xml", Array(delta.replacingOccurrences(of: "<bureau>commerce</bureau>", with: "<bureau>food</bureau>").utf8))
        #expect(reason.contains(":4: bad header: the header names bureau 'food' but the root element is in the commerce bureau's namespace"), "\(reason)")
        #expect(!reason.contains("set ."))
    }

    /// Enumeration errors keep their value set (the namespace stripping no longer eats it).
    @Test func item6_schemaMessagesKeepTheirValueSets() throws {
        let reason = try refusal("kind.xml", Array(delta.replacingOccurrences(of: "<kind>delta</kind>", with: "<kind>weekly</kind>").utf8))
        #expect(reason.contains("{'full', 'delta'}") || reason.contains("bad header"), "\(reason)")
        #expect(!reason.contains("set ."), "\(reason)")
    }

    /// A comment of 2 MB before the root is read past (the bureau is still found).
    @Test func item6_aLargeCommentBeforeTheRootIsReadPast() throws {
        let at = try #require(delta.range(of: "<feed"))
        let text = delta[..<at.lowerBound] + "<!--" + String(repeating: "注释", count: 350_000) + "-->\n" + delta[at.lowerBound...]
        let path = scratch.path("comment.xml")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let reader = try FeedReader(path: path)
        #expect(reader.header.feedID == "SAMR-350200-20250701-DELTA")
        var n = 0
        while let _ = try reader.next() { n += 1 }
        #expect(n == 5)
    }

    /// Two processes ingesting the same feed at once: the second, admitted by the early check
    /// while the first was still writing, is decided again inside its own write transaction and
    /// ends as already ingested — never SQLite's "UNIQUE constraint failed". The second ingest is
    /// started from inside the first's transaction and let through its early admission (its parse
    /// has begun) before the first commits, so the collision is certain.
    @Test func item6_sameFeedIngestedTwiceAtOnceEndsAsAlreadyIngested() throws {
        let path = SampleFiles.path("feeds/commerce-0001-full.xml")
        let second = try Registry(path: scratch.path("credit.db"))
        let secondParsing = DispatchSemaphore(value: 0)
        let secondReport = LockedBox<IngestReport?>(nil)
        let done = DispatchSemaphore(value: 0)
        var first = FeedIngestor(registry: registry)
        first.beforeCommit = { _, _ in
            Thread {
                let r = try? FeedIngestor(registry: second).ingest(path: path) { _ in secondParsing.signal() }
                secondReport.value = r
                done.signal()
            }.start()
            secondParsing.wait()
        }
        let report = try first.ingest(path: path)
        #expect(report.outcome == .ingested)
        done.wait()
        let other = try #require(secondReport.value)
        #expect(other.outcome == .alreadyIngested, "\(other.outcome) \(other.reason ?? "")")
        #expect(other.reason?.contains("UNIQUE") != true)
        #expect(try registry.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM feed") } == 1)
    }
}
