import CreditTestSupport
import Foundation
import GRDB
import Testing
@testable import CreditRegistry
import FeedIngest

/// Feeds in every encoding a bureau might send: UTF-8 and GB18030 (GBK, GB2312) are read, every
/// other declaration and every invalid byte is refused with its position, nothing crashes and a
/// refused feed leaves the registry as it was.
@Suite struct FeedEncodingTests {
    let scratch: TemporaryDirectory
    let registry: Registry
    let full: String
    let delta: String

    init() throws {
        scratch = try TemporaryDirectory("feed-encoding")
        registry = try Registry(path: scratch.path("credit.db"))
        full = try String(contentsOfFile: SampleFiles.path("feeds/commerce-0001-full.xml"), encoding: .utf8)
        delta = try String(contentsOfFile: SampleFiles.path("feeds/commerce-0002-delta.xml"), encoding: .utf8)
    }

    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = scratch.path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func ingest(_ path: String) throws -> IngestReport { try FeedIngestor(registry: registry).ingest(path: path) }

    func feedCount() throws -> Int { try registry.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM feed") ?? 0 } }
    func subjectCount() throws -> Int { try registry.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM subject") ?? 0 } }

    /// The issue's reproduction: UTF-8 bytes declared GB18030 crashed libxml2 (SIGSEGV); now the
    /// first byte that is not GB18030 refuses the feed with its line and byte offset.
    @Test func item1_utf8BytesDeclaredGB18030AreRefusedWithPositionNotACrash() throws {
        #expect(try ingest(SampleFiles.path("feeds/commerce-0001-full.xml")).outcome == .ingested)
        let before = (try feedCount(), try subjectCount())
        let bytes = FeedBytes.declaring("GB18030", Array(delta.utf8))
        let path = try write("declared-gb18030.xml", bytes)
        let report = try ingest(path)
        #expect(report.outcome == .refused)
        let reason = try #require(report.reason)
        #expect(reason.contains("invalid GB18030 byte sequence"), "\(reason)")
        // 厦 (E5 8E A6) is the first non-ASCII text: E5 8E is a GB18030 pair, A6 3C is not.
        let name = try #require(FeedBytes.index(of: "<name>", in: bytes)) + 6
        #expect(reason.contains("\(path):\(FeedBytes.line(at: name, in: bytes)):"), "\(reason)")
        #expect(reason.contains("byte offset"), "\(reason)")
        #expect(try feedCount() == before.0 && subjectCount() == before.1, "the registry is unchanged")
    }

    /// GB18030 feeds, declared GB18030, GBK or GB2312, read to the same records as the UTF-8 feed.
    @Test(arguments: ["GB18030", "GBK", "GB2312", "gb18030"])
    func item1_gb18030FamilyFeedsReadLikeTheirUTF8Original(declared: String) throws {
        let bytes = FeedBytes.declaring(declared, FeedBytes.gb18030(full))
        let path = try write("gb-\(declared).xml", bytes)
        let original = try SampleFiles.readAll(SampleFiles.path("feeds/commerce-0001-full.xml"))
        let transcoded = try SampleFiles.readAll(path)
        #expect(transcoded.header == original.header)
        #expect(transcoded.items.map(\.fields) == original.items.map(\.fields))
        #expect(transcoded.items.map(\.line) == original.items.map(\.line))
        #expect(transcoded.digest == Digest.sha256Hex(bytes), "the digest is of the file as delivered")
        let report = try ingest(path)
        #expect(report.outcome == .ingested, "\(report.reason ?? "")")
        #expect(report.new == original.items.count)
    }

    /// One bad byte in a genuine GB18030 feed: refused with the line and the byte offset of that byte.
    @Test func item1_oneBadByteInAGB18030FeedIsRefusedAtItsOffset() throws {
        var bytes = FeedBytes.declaring("GB18030", FeedBytes.gb18030(delta))
        let at = try #require(FeedBytes.index(of: "<name>", in: bytes)) + 6
        bytes[at] = 0xFF
        let report = try ingest(try write("bad-byte.xml", bytes))
        #expect(report.outcome == .refused)
        let reason = report.reason ?? ""
        #expect(reason.contains(":\(FeedBytes.line(at: at, in: bytes)): invalid GB18030 byte sequence 0xFF"), "\(reason)")
        #expect(reason.contains("byte offset \(at) "), "\(reason)")
        #expect(try feedCount() == 0)
    }

    /// Every declaration other than UTF-8 and the GB18030 family is refused by name — including
    /// a UTF-8 feed declared ISO-8859-1, which used to be ingested as mojibake.
    @Test(arguments: ["Big5", "Shift_JIS", "EUC-JP", "ISO-2022-JP", "HZ", "HZ-GB-2312", "ISO-8859-1", "US-ASCII", "UTF-16", "windows-1252"])
    func item1_otherDeclarationsAreRefusedByName(declared: String) throws {
        let report = try ingest(try write("other.xml", FeedBytes.declaring(declared, Array(full.utf8))))
        #expect(report.outcome == .refused)
        let reason = report.reason ?? ""
        #expect(reason.contains(":1: the feed declares encoding \"\(declared)\", which is not accepted"), "\(reason)")
        #expect(reason.contains("UTF-8 or GB18030"))
        #expect(try subjectCount() == 0)
    }

    @Test func item1_utf8WithBOMIsReadAndUTF16IsRefused() throws {
        let bom = try ingest(try write("bom.xml", [0xEF, 0xBB, 0xBF] + Array(full.utf8)))
        #expect(bom.outcome == .ingested, "\(bom.reason ?? "")")
        var utf16: [UInt8] = [0xFF, 0xFE]
        for u in delta.utf16 { utf16.append(UInt8(u & 0xFF)); utf16.append(UInt8(u >> 8)) }
        let refused = try ingest(try write("utf16.xml", utf16))
        #expect(refused.outcome == .refused)
        #expect(refused.reason?.contains("the feed is UTF-16, which is not accepted") == true, "\(refused.reason ?? "")")
    }

    /// Invalid UTF-8 (a lone continuation byte, an overlong form, a surrogate) is refused at its byte.
    @Test(arguments: [[UInt8]([0x80]), [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF5, 0x80, 0x80, 0x80]])
    func item1_invalidUTF8IsRefusedAtItsOffset(bad: [UInt8]) throws {
        var bytes = Array(full.utf8)
        let at = try #require(FeedBytes.index(of: "<name>", in: bytes)) + 6
        bytes.replaceSubrange(at..<(at + 1), with: bad)
        let report = try ingest(try write("bad-utf8.xml", bytes))
        #expect(report.outcome == .refused)
        #expect(report.reason?.contains(":\(FeedBytes.line(at: at, in: bytes)): invalid UTF-8 byte sequence") == true, "\(report.reason ?? "")")
        #expect(report.reason?.contains("byte offset \(at) ") == true, "\(report.reason ?? "")")
    }

    /// A GB18030 feed cut inside a two-byte character says so.
    @Test func item1_gb18030FeedEndingInsideACharacterIsRefused() throws {
        let bytes = FeedBytes.declaring("GB18030", FeedBytes.gb18030(delta))
        let at = try #require(FeedBytes.index(of: "<name>", in: bytes)) + 7
        let report = try ingest(try write("cut.xml", Array(bytes[0..<at])))
        #expect(report.outcome == .refused)
        #expect(report.reason?.contains("the feed is truncated inside a GB18030 character") == true, "\(report.reason ?? "")")
    }
}
