import Foundation
import Testing
@testable import CreditQuery

/// Rows written to the publication read back exactly (the delta reads the previous snapshot).
@Suite struct PublicationTextTests {
    static let names = ["code", "key", "name", "note"]

    @Test(arguments: [
        ["91350200MA2XH1K70Y", "commerce:PEN-1", "华兴科技（厦门）有限公司", nil],
        ["X", "k\"ey\\", "line\nbreak\r\ttab", "ctrl\u{01}\u{1F}, 逗号 \"引号\""],
        ["", "", "𠀾记茶饮店", "/slash/"],
    ] as [[String?]])
    func jsonLinesReadBackExactly(values: [String?]) throws {
        var out: [UInt8] = []
        PublicationText.jsonLine(Self.names, values, into: &out)
        let line = String(decoding: out.dropLast(), as: UTF8.self)
        #expect(try PublicationText.parseJSONLine(line, names: Self.names, file: "t", lineNumber: 1) == values)
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        #expect(Self.names.map { object?[$0] as? String } == values, "valid JSON with the same values")
    }

    @Test func otherValidJSONIsReadAndBrokenLinesAreRefused() throws {
        let reordered = #"{"note":null,"name":"名","key":"k","code":"c","extra":"x"}"#
        #expect(try PublicationText.parseJSONLine(reordered, names: Self.names, file: "t", lineNumber: 1) == ["c", "k", "名", nil])
        #expect(throws: PublicationError.self) { try PublicationText.parseJSONLine(#"{"code":"c","#, names: Self.names, file: "t", lineNumber: 3) }
    }

    @Test func csvQuotesOnlyWhatNeedsIt() {
        var out: [UInt8] = []
        PublicationText.csvLine(["a", "b,c", nil, "d \"e\"", "多行\n文本"], into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "a,\"b,c\",,\"d \"\"e\"\"\",\"多行\n文本\"\r\n")
    }
}
