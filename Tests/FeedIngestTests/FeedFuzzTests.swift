import CreditTestSupport
import Foundation
import GRDB
import Testing
@testable import CreditRegistry
import FeedIngest

/// Thousands of mutated feeds, in every accepted encoding, through the real ingest into a real
/// SQLite registry: each is either ingested or refused with a position, nothing crashes, and a
/// refused feed stores nothing. Seeded and bounded, so a failure replays exactly.
@Suite struct FeedFuzzTests {
    static let seed: UInt64 = 20_261_130
    static let cases = 4_000

    /// The encodings a base feed is delivered in: the bytes and the declaration.
    enum Delivery: CaseIterable { case utf8, utf8BOM, gb18030, gbk, gb2312 }

    static func encode(_ text: String, _ d: Delivery) -> [UInt8] {
        switch d {
        case .utf8: Array(text.utf8)
        case .utf8BOM: [0xEF, 0xBB, 0xBF] + Array(text.utf8)
        case .gb18030: FeedBytes.declaring("GB18030", FeedBytes.gb18030(text))
        case .gbk: FeedBytes.declaring("GBK", FeedBytes.gb18030(text))
        case .gb2312: FeedBytes.declaring("GB2312", FeedBytes.gb18030(text))
        }
    }

    static let snippets: [[UInt8]] = [
        Array("<".utf8), Array("&".utf8), Array("&amp;".utf8), Array("]]>".utf8), Array("</feed>".utf8), Array("<!--".utf8),
        Array("<!DOCTYPE x>".utf8), Array("\"".utf8), [0xFF], [0x80], [0x81], [0x81, 0x30], [0xD6, 0xD0], [0xE4, 0xB8], [0xE4, 0xB8, 0xAD],
        [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0x00], [0x0A], Array(" encoding=\"Big5\"".utf8),
    ]
    static let declarations = ["UTF-8", "GB18030", "GBK", "GB2312", "Big5", "ISO-8859-1", "UTF-16", "HZ", "", "utf8"]

    static func mutate(_ input: [UInt8], _ rng: inout SeededRandom) -> [UInt8] {
        var bytes = input
        for _ in 0..<(1 + rng.below(3)) {
            guard !bytes.isEmpty else { break }
            let at = rng.below(bytes.count)
            switch rng.below(6) {
            case 0: bytes[at] = UInt8(truncatingIfNeeded: rng.next())                                  // flip
            case 1: bytes.insert(contentsOf: snippets[rng.below(snippets.count)], at: at)               // insert
            case 2: bytes.removeSubrange(at..<min(bytes.count, at + 1 + rng.below(16)))                 // delete
            case 3: bytes.removeSubrange(at...)                                                         // truncate
            case 4:                                                                                     // swap the declaration
                let text = String(decoding: bytes.prefix(60), as: UTF8.self)
                if let r = text.range(of: #"encoding="[^"]*""#, options: .regularExpression) {
                    let lo = text.utf8.distance(from: text.startIndex, to: r.lowerBound)
                    let hi = text.utf8.distance(from: text.startIndex, to: r.upperBound)
                    bytes.replaceSubrange(lo..<hi, with: Array("encoding=\"\(declarations[rng.below(declarations.count)])\"".utf8))
                }
            default: bytes[at] ^= 1 << UInt8(rng.below(8))                                              // bit flip
            }
        }
        return bytes
    }

    /// Refusals that concern the whole file or its place in the sequence rather than a line.
    static let wholeFileReasons = ["the feed is empty", "holds only white space", "no <feed> element", "is stale",
                                   "out of sequence", "before any full snapshot", "already ingested with different content"]

    @Test func item1_mutatedFeedsInEveryAcceptedEncodingAreIngestedOrRefusedWithAPosition() async throws {
        try await onOwnThread {
            let scratch = try TemporaryDirectory("feed-fuzz")
            let registry = try Registry(path: scratch.path("credit.db"))
            let bases = try ["feeds/food-0001-full.xml", "feeds/tax-0001-full.xml"].map {
                try String(contentsOfFile: SampleFiles.path($0), encoding: .utf8)
            }
            var rng = SeededRandom(state: Self.seed)
            var ingested = 0, refused = 0
            let positioned = try NSRegularExpression(pattern: #"\.xml:[0-9]+: "#)
            for n in 0..<Self.cases {
                // A fresh feed id and the next sequence number, so that an intact feed is admissible.
                let text = bases[n % bases.count]
                    .replacingOccurrences(of: "<sequence>1</sequence>", with: "<sequence>\(n + 1)</sequence>")
                    .replacingOccurrences(of: "-FULL<", with: "-FUZZ\(n)<")
                let delivery = Delivery.allCases[rng.below(Delivery.allCases.count)]
                let bytes = Self.mutate(Self.encode(text, delivery), &rng)
                let path = scratch.path("fuzz-\(n).xml")
                try Data(bytes).write(to: URL(fileURLWithPath: path))
                let report = try FeedIngestor(registry: registry).ingest(path: path)
                switch report.outcome {
                case .ingested:
                    ingested += 1
                case .refused:
                    refused += 1
                    let reason = report.reason ?? ""
                    let hasLine = positioned.firstMatch(in: reason, range: NSRange(reason.startIndex..., in: reason)) != nil
                    #expect(hasLine || Self.wholeFileReasons.contains { reason.contains($0) },
                            "case \(n) (\(delivery)) refused without a position: \(reason)")
                case .alreadyIngested:
                    Issue.record("case \(n): a fresh feed id cannot have been ingested before")
                }
                let stored = try registry.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM feed") ?? 0 }
                #expect(stored == ingested, "case \(n): a refused feed stored nothing")
                try? FileManager.default.removeItem(atPath: path)
            }
            #expect(ingested > Self.cases / 20 && refused > Self.cases / 4, "both outcomes are exercised: \(ingested) ingested, \(refused) refused")
        }
    }
}
