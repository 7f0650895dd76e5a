import Foundation
import Testing
@testable import CreditQuery
@testable import CreditRegistry
@testable import CreditSamples
import Decisions
@testable import FeedIngest

@Suite("FeedReader edge cases")
struct FeedReaderEdgeTests {
    private func write(_ text: String, encoding: String.Encoding = .utf8) throws -> String {
        let path = NSTemporaryDirectory() + "feed-\(UUID().uuidString).xml"
        try text.data(using: encoding)!.write(to: URL(fileURLWithPath: path))
        return path
    }

    private func feed(_ body: String, header: String? = nil) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <feed xmlns="urn:credit-engine:feed:tax:1" version="1.0">
        \(header ?? "<header><bureau>tax</bureau><feedId>T-1</feedId><sequence>3</sequence><generatedAt>2025-01-01T00:00:00+08:00</generatedAt><kind>delta</kind></header>")
        \(body)
        </feed>
        """
    }

    private let grade = """
    <grade key="G1" op="upsert"><code>91350200MA2YD3F81E</code><name>厦门恒达贸易有限公司</name><year>2024</year><grade>A</grade><publishedOn>2025-04-25</publishedOn><authority>国家税务总局厦门市税务局</authority></grade>
    """

    @Test func badHeaderIsRefused() throws {
        let path = try write(feed(grade, header: "<header><bureau>food</bureau><feedId>T-1</feedId><sequence>3</sequence><generatedAt>2025-01-01T00:00:00+08:00</generatedAt><kind>delta</kind></header>"))
        let e = SampleFiles.feedError { () throws(FeedError) in _ = try FeedReader(path: path) }
        #expect(e?.kind == .badHeader)
        let noHeader = try write(feed(grade, header: ""))
        #expect(SampleFiles.feedError { () throws(FeedError) in _ = try FeedReader(path: noHeader) }?.kind == .badHeader)
    }

    @Test func missingAttributeAndMissingChild() throws {
        let noOp = grade.replacingOccurrences(of: " op=\"upsert\"", with: "")
        let noGrade = grade.replacingOccurrences(of: "<grade>A</grade>", with: "").replacingOccurrences(of: "G1", with: "G2")
        let path = try write(feed(noOp + "\n" + noGrade + "\n" + grade.replacingOccurrences(of: "G1", with: "G3")))
        let r = try SampleFiles.readAll(path)
        #expect(r.items.map(\.key) == ["G3"])
        #expect(r.issues.map(\.key) == ["G1", "G2"])
        #expect(r.issues.map(\.field) == ["@op", "grade"])
    }

    @Test func unknownRecordElementDoesNotPoisonTheRest() throws {
        let path = try write(feed(grade + "\n<bonus key=\"B1\" op=\"upsert\"><code>x</code></bonus>\n" + grade.replacingOccurrences(of: "G1", with: "G4")))
        let r = try SampleFiles.readAll(path)
        #expect(r.issues.map(\.key) == ["B1"])
        #expect(r.items.map(\.key) == ["G1", "G4"])
    }

    @Test func personalIDsAreMaskedInIssues() throws {
        let bad = grade.replacingOccurrences(of: "91350200MA2YD3F81E", with: "11010519491231002XY")
        let r = try SampleFiles.readAll(try write(feed(bad)))
        #expect(r.issues.count == 1)
        #expect(PersonalData.masked("id 11010519491231002X here") == "id 110105********002X here")
        #expect(PersonalData.masked("code 914403001922038216") == "code 914403001922038216", "an all-digit credit code is not a person")
        #expect(PersonalData.masked("code 91350200MA2YD3F81E") == "code 91350200MA2YD3F81E")
    }

    @Test func deepNestingIsRefused() throws {
        let deep = String(repeating: "<a>", count: 20) + String(repeating: "</a>", count: 20)
        let path = try write(feed(grade.replacingOccurrences(of: "<year>", with: deep + "<year>")))
        let e = SampleFiles.feedError { () throws(FeedError) in let r = try FeedReader(path: path); while try r.next() != nil {} }
        #expect(e?.kind == .limits)
    }

    @Test func undeclaredEntityIsNotWellFormed() throws {
        let path = try write(feed(grade.replacingOccurrences(of: "<authority>", with: "<authority>&x;")))
        let e = SampleFiles.feedError { () throws(FeedError) in let r = try FeedReader(path: path); while try r.next() != nil {} }
        #expect(e?.kind == .notWellFormed)
    }

    @Test func sha256KnownVectors() {
        #expect(Digest.sha256Hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Digest.sha256Hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // A string's UTF-8 is hashed in place (contiguous storage), with the same digest.
        #expect(Digest.sha256Hex("abc".utf8) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.sha256Hex("鹭岛".utf8) == Digest.sha256Hex(Array("鹭岛".utf8)))
        var c = Digest.Streaming()
        let long = Array(String(repeating: "a", count: 1000).utf8)
        for _ in 0..<1000 { c.update(long) }
        #expect(c.finalizeHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        // Feeding in pieces gives the digest of the whole.
        for n in [0, 1, 55, 56, 63, 64, 65, 127, 128, 1000, 70_001] {
            let bytes = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            var h = Digest.Streaming()
            h.update(Array(bytes.prefix(n / 3)))
            h.update(Array(bytes.dropFirst(n / 3)))
            #expect(h.finalizeHex() == Digest.sha256Hex(bytes), "length \(n)")
        }
    }
}

@Suite("FeedReader checks the XSD leaves to it")
struct FeedReaderRootTests {
    private func write(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "feed-\(UUID().uuidString).xml"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    private let header = "<header><bureau>tax</bureau><feedId>T-1</feedId><sequence>3</sequence><generatedAt>2025-01-01T00:00:00+08:00</generatedAt><kind>delta</kind></header>"
    private let grade = "<grade key=\"G1\" op=\"upsert\"><code>91350200MA2YD3F81E</code><name>厦门恒达贸易有限公司</name><year>2024</year><grade>A</grade><publishedOn>2025-04-25</publishedOn><authority>国家税务总局厦门市税务局</authority></grade>"

    @Test func versionAttributeIsRequired() throws {
        for root in ["<feed xmlns=\"urn:credit-engine:feed:tax:1\">", "<feed xmlns=\"urn:credit-engine:feed:tax:1\" version=\"2.0\">"] {
            let path = try write(root + header + grade + "</feed>")
            #expect(SampleFiles.feedError { () throws(FeedError) in _ = try FeedReader(path: path) }?.kind == .badHeader)
        }
    }

    @Test func recordInAnotherNamespaceIsInvalid() throws {
        let other = grade.replacingOccurrences(of: "<grade key=\"G1\"", with: "<grade xmlns=\"urn:other\" key=\"G9\"")
            .replacingOccurrences(of: "</authority></grade>", with: "</authority></grade>")
        let path = try write("<feed xmlns=\"urn:credit-engine:feed:tax:1\" version=\"1.0\">" + header + other + grade + "</feed>")
        let r = try SampleFiles.readAll(path)
        #expect(r.items.map(\.key) == ["G1"])
        #expect(r.issues.map(\.key) == ["G9"])
    }

    @Test func headerMustComeFirst() throws {
        let path = try write("<feed xmlns=\"urn:credit-engine:feed:tax:1\" version=\"1.0\">" + grade + header + "</feed>")
        #expect(SampleFiles.feedError { () throws(FeedError) in _ = try FeedReader(path: path) }?.kind == .badHeader)
    }
}
