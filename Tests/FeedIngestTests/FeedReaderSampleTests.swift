import Foundation
import Testing
import CreditQuery
@testable import CreditRegistry
import CreditSamples
import Decisions
import FeedIngest

@Suite("FeedReader on the shipped samples")
struct FeedReaderSampleTests {
    @Test("every sample feed reads with no invalid record and the expected counts", arguments: [
        ("feeds/commerce-0001-full.xml", Bureau.commerce, FeedKind.full,
         [FeedItemKind.registration: 26, .licence: 4, .penalty: 5, .abnormalEntry: 3, .abnormalExit: 1, .seriousEntry: 2, .seriousExit: 1]),
        ("feeds/commerce-0002-delta.xml", .commerce, .delta, [.penalty: 2, .registration: 2, .abnormalEntry: 1]),
        ("feeds/tax-0001-full.xml", .tax, .full, [.taxGrade: 19, .taxCase: 3, .taxCaseRemoval: 1]),
        ("feeds/food-0001-full.xml", .food, .full, [.foodLicence: 8, .foodPenalty: 3, .foodDishonestEntry: 2, .foodDishonestExit: 1]),
        ("encoding/food-0002-delta.utf8.xml", .food, .delta, [.foodLicence: 1, .foodPenalty: 1]),
        ("encoding/food-0002-delta.gb18030.xml", .food, .delta, [.foodLicence: 1, .foodPenalty: 1]),
        ("bad/commerce-bad-check-digit.xml", .commerce, .delta, [.registration: 2]),
        ("bad/commerce-unknown-subject-delta.xml", .commerce, .delta, [.penalty: 1]),
    ])
    func sampleCounts(file: String, bureau: Bureau, kind: FeedKind, expected: [FeedItemKind: Int]) throws {
        let r = try SampleFiles.readAll(SampleFiles.path(file))
        #expect(r.header.bureau == bureau)
        #expect(r.header.kind == kind)
        #expect(r.header.schemaVersion == "1.0")
        #expect(r.issues.isEmpty, "\(r.issues)")
        #expect(SampleFiles.counts(r.items) == expected)
        #expect(r.items.allSatisfy { $0.kind.bureau == bureau })
    }

    @Test func headerAndRecordShape() throws {
        let r = try SampleFiles.readAll(SampleFiles.path("feeds/commerce-0001-full.xml"))
        #expect(r.header == FeedHeader(bureau: .commerce, feedID: "SAMR-350200-20250630-FULL", sequence: 1,
                                       generatedAt: "2025-06-30T02:00:00+08:00", kind: .full, schemaVersion: "1.0"))
        let c01 = try #require(r.items.first { $0.key == "REG-C01" })
        #expect(c01.kind == .registration && c01.operation == .upsert)
        #expect(c01.fields["code"] == "91350200MA2XH1K70Y")
        #expect(c01.fields["name"] == "华兴科技（厦门）有限公司")
        #expect(c01.fields["kind"] == SubjectKind.enterprise.rawValue)
        #expect(c01.fields["person"] == nil)
        let persons = c01.group("person")
        #expect(persons.count == 4)
        #expect(persons[0] == ["role": "legal_representative", "name": "林志强", "id": "350221196809220172",
                               "from": "2016-03-01", "to": "2021-05-31"])
        #expect(c01.group("formerName") == [["name": "厦门华兴电子科技有限公司", "until": "2019-08-20"]])
        #expect(c01.group("shareholder").count == 2)
        #expect(c01.group("legacyId").map { $0["scheme"] } == ["registration_number", "organisation_code"])

        let penalty = try #require(r.items.first { $0.key == "PEN-C12-2023-007" })
        #expect(penalty.fields["type"] == "罚款;没收违法所得")
        #expect(penalty.fields["fine"] == "80")
        #expect(penalty.fields["severity"] == "serious")

        // Lines are those of the start tags; offsets grow and stay within the file.
        let text = try String(contentsOfFile: SampleFiles.path("feeds/commerce-0001-full.xml"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[c01.line - 1].contains("<registration key=\"REG-C01\""))
        let offsets = r.items.map(\.byteOffset)
        #expect(offsets == offsets.sorted())
        let size = text.utf8.count
        #expect(offsets.last! <= size && offsets.last! > size - 20)
        // The end offset of a record points just past its end tag.
        let bytes = Array(text.utf8)
        #expect(String(decoding: bytes[(c01.byteOffset - 15)..<c01.byteOffset], as: UTF8.self) == "</registration>")
    }

    @Test func deltaCorrectsAndRevokes() throws {
        let r = try SampleFiles.readAll(SampleFiles.path("feeds/commerce-0002-delta.xml"))
        let corrected = try #require(r.items.first { $0.key == "PEN-C11-2024-001" })
        #expect(corrected.operation == .upsert && corrected.fields["fine"] == "3.5")
        let revoked = try #require(r.items.first { $0.key == "PEN-C19-2024-033" })
        #expect(revoked.operation == .revoke && revoked.fields["revokedOn"] == "2025-06-25")
    }

    @Test func digestAndProgress() throws {
        let path = SampleFiles.path("feeds/tax-0001-full.xml")
        let reader = try FeedReader(path: path)
        #expect(reader.digest == nil)
        while try reader.next() != nil {}
        #expect(reader.bytesRead == reader.fileSize)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(reader.digest == Digest.sha256Hex(Array(data)))
        #expect(reader.digest?.count == 64)
        #expect(try reader.next() == nil)
    }

    @Test func gb18030TwinYieldsTheSameItems() throws {
        let utf8 = try SampleFiles.readAll(SampleFiles.path("encoding/food-0002-delta.utf8.xml"))
        let gb = try SampleFiles.readAll(SampleFiles.path("encoding/food-0002-delta.gb18030.xml"))
        #expect(utf8.header == gb.header)
        #expect(utf8.items.count == 2)
        func strip(_ i: FeedItem) -> FeedItem { var i = i; i.byteOffset = 0; return i }
        #expect(utf8.items.map(strip) == gb.items.map(strip))
        #expect(gb.items[0].fields["name"] == "厦门市思明区𠀾记茶饮店")
        // The files really differ in encoding.
        let a = try Data(contentsOf: URL(fileURLWithPath: SampleFiles.path("encoding/food-0002-delta.utf8.xml")))
        let b = try Data(contentsOf: URL(fileURLWithPath: SampleFiles.path("encoding/food-0002-delta.gb18030.xml")))
        #expect(a != b)
    }
}

@Suite("FeedReader on bad feeds")
struct FeedReaderBadFeedTests {
    @Test func schemaInvalidRecordsAreReportedAndTheRestRead() throws {
        let reader = try FeedReader(path: SampleFiles.path("bad/commerce-schema-invalid.xml"))
        var events: [FeedEvent] = []
        while let e = try reader.next() { events.append(e) }
        #expect(events.count == 5)
        guard events.count == 5 else { return }
        guard case .item(let a) = events[0], case .invalid(let b) = events[1], case .item(let c) = events[2],
              case .invalid(let d) = events[3], case .item(let e) = events[4] else {
            Issue.record("unexpected sequence \(events)"); return
        }
        #expect([a.key, c.key, e.key] == ["REG-C19", "ABN-C24-2025", "REG-C23"])
        #expect(b.key == "PEN-BAD-FINE" && b.field == "fine" && b.line == 42 && b.kind == .penalty)
        #expect(b.reason.contains("伍仟元"))
        #expect(d.key == "PEN-BAD-NOSEV" && d.line > 56 && d.line < 69)
        #expect(d.reason.contains("severity"))
    }

    @Test func truncatedFeedIsRefused() {
        let path = SampleFiles.path("bad/commerce-truncated.xml")
        let error = SampleFiles.feedError { () throws(FeedError) in
            let reader = try FeedReader(path: path)
            while try reader.next() != nil {}
        }
        #expect(error?.kind == .notWellFormed)
        #expect(error?.line != nil)
    }

    @Test func xxeIsRefusedAndTheFileIsNotRead() throws {
        let path = SampleFiles.path("bad/commerce-xxe.xml")
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("file:///etc/hostname"))
        var items = 0
        let error = SampleFiles.feedError { () throws(FeedError) in
            let reader = try FeedReader(path: path)
            while let e = try reader.next() { if case .item = e { items += 1 } }
        }
        #expect(items == 0)
        let e = try #require(error)
        #expect(e.kind == .doctype)
        #expect(e.description.contains("DOCTYPE"))
        if let host = try? String(contentsOfFile: "/etc/hostname", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
           host.count >= 4 {
            #expect(!e.description.contains(host))
        }
    }

    @Test func billionLaughsIsRefusedQuickly() throws {
        let start = Date()
        let error = SampleFiles.feedError { () throws(FeedError) in _ = try FeedReader(path: SampleFiles.path("bad/commerce-billion-laughs.xml")) }
        #expect(error?.kind == .doctype)
        #expect(Date().timeIntervalSince(start) < 1)
    }

    @Test func unknownNamespaceIsNamed() {
        let error = SampleFiles.feedError { () throws(FeedError) in _ = try FeedReader(path: SampleFiles.path("bad/unknown-namespace.xml")) }
        #expect(error?.kind == .unknownFormat)
        #expect(error?.description.contains("urn:credit-engine:feed:customs:1") == true)
    }

    @Test func missingFileIsAnIOError() {
        let error = SampleFiles.feedError { () throws(FeedError) in _ = try FeedReader(path: "/nonexistent/feed.xml") }
        #expect(error?.kind == .io)
    }
}
