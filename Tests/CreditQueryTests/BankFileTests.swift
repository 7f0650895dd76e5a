import CreditTestSupport
import Foundation
import Testing
@testable import CreditQuery
@testable import CreditRegistry

/// Bank files as banks really send them: quoted line breaks, CR-only or CRLF line ends, UTF-8
/// with a BOM, GB18030, UTF-16 with a BOM; invalid bytes and empty files refused with where;
/// and CSV output a spreadsheet cannot run as formulas.
@Suite struct BankFileTests {
    let f: QueryFixture
    let checker: BatchChecker
    let asOf = QueryFixture.d("2023-06-01")
    init() throws {
        f = try QueryFixture()
        checker = BatchChecker(registry: f.registry)
    }

    static let text = "code,name,note\n91350100M000100Y43,福州某某科技有限公司,\"two\nlines\"\n91350100350100124L,福州海峡贸易(集团)有限公司,plain\n"

    func verdicts(_ bytes: [UInt8]) throws -> ([BatchVerdict], BatchChecker.Summary) {
        let (out, summary) = try checker.run(input: bytes, options: .init(format: .json, asOf: asOf))
        let lines = String(decoding: out, as: UTF8.self).split(separator: "\n")
        return (try lines.map { try JSONDecoder().decode(BatchVerdict.self, from: Data($0.utf8)) }, summary)
    }

    func refusal(_ bytes: [UInt8]) -> String {
        do { _ = try checker.run(input: bytes, options: .init(asOf: asOf)); return "not refused" } catch { return "\(error)" }
    }

    static func utf16(_ s: String, bigEndian: Bool) -> [UInt8] {
        var out: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
        for u in s.utf16 { out += bigEndian ? [UInt8(u >> 8), UInt8(u & 0xFF)] : [UInt8(u & 0xFF), UInt8(u >> 8)] }
        return out
    }

    @Test func item5_aQuotedFieldWithALineBreakIsOneRow() throws {
        let (v, summary) = try verdicts(Array(Self.text.utf8))
        #expect(summary.rows == 2)
        #expect(v.map(\.row) == [2, 4], "a verdict names the line its record starts on")
        #expect(v[0].input["note"] == "two\nlines" && v[0].error == nil && v[0].found)
        #expect(v[1].input["note"] == "plain" && v[1].found)
    }

    @Test(arguments: ["\r\n", "\r"])
    func item5_crlfAndCROnlyLineEndsReadLikeLF(ending: String) throws {
        let (lf, _) = try verdicts(Array(Self.text.utf8))
        let (other, summary) = try verdicts(Array(Self.text.replacingOccurrences(of: "\n", with: ending).utf8))
        #expect(summary.rows == 2, "CR-only files used to give 0 rows")
        #expect(other.map(\.code) == lf.map(\.code))
        #expect(other.map(\.row) == lf.map(\.row))
        #expect(other[0].input["note"] == "two\(ending)lines")
    }

    @Test func item5_utf8BOMGB18030AndUTF16WithBOMGiveTheSameVerdicts() throws {
        let (base, s0) = try verdicts(Array(Self.text.utf8))
        let inputs: [(String, [UInt8])] = [
            ("UTF-8", [0xEF, 0xBB, 0xBF] + Array(Self.text.utf8)),
            ("GB18030", try BatchCheckerTests.iconv(Array(Self.text.utf8), to: "GB18030")),
            ("UTF-16LE", Self.utf16(Self.text, bigEndian: false)),
            ("UTF-16BE", Self.utf16(Self.text, bigEndian: true)),
        ]
        #expect(s0.encoding == "UTF-8")
        for (encoding, bytes) in inputs {
            let (v, s) = try verdicts(bytes)
            #expect(s.encoding == encoding)
            #expect(v == base, "\(encoding)")
        }
    }

    @Test func item5_invalidGB18030IsRefusedWithLineAndColumn() throws {
        var gb = try BatchCheckerTests.iconv(Array(Self.text.utf8), to: "GB18030")
        // Line 4, the first byte of 福 (after "91350100350100124L,"): 0xFF is never valid.
        let line4 = gb.indices.filter { gb[$0] == 0x0A }[2] + 1
        gb[line4 + 19] = 0xFF
        let reason = refusal(gb)
        #expect(reason.hasPrefix("line 4, column 20: invalid GB18030 byte sequence 0xFF"), "\(reason)")
        #expect(reason.contains("byte offset \(line4 + 19)"), "\(reason)")
    }

    @Test func item5_invalidUTF8AndUnpairedUTF16AreRefusedWithLineAndColumn() throws {
        var utf8 = Array(Self.text.utf8)
        utf8.insert(contentsOf: [0xC3, 0x28], at: utf8.firstIndex(of: 0x0A)! + 5)
        // The first non-ASCII byte decides the encoding: here the sample after it is not UTF-8,
        // so the file is read as GB18030 — and C3 28 is not GB18030 either.
        #expect(refusal(utf8).hasPrefix("line 2, column 5: invalid GB18030 byte sequence 0xC3 0x28"), "\(refusal(utf8))")
        var late = Array(Self.text.utf8)
        late.append(contentsOf: Array("91350100M000100Y43,福州,x".utf8) + [0xE4, 0xB8] + Array(",y\n".utf8))
        #expect(refusal(late).hasPrefix("line 5, column 24: invalid UTF-8 byte sequence 0xE4 0xB8"), "\(refusal(late))")
        var utf16 = Self.utf16(Self.text, bigEndian: false)
        utf16 += [0x00, 0xDC]   // a lone low surrogate after the last line
        #expect(refusal(utf16).hasPrefix("line 5, column 1: invalid UTF-16LE byte sequence"), "\(refusal(utf16))")
    }

    @Test func item5_utf16WithoutBOMIsRefusedInWords() {
        let bytes = Array(Self.utf16(Self.text, bigEndian: false).dropFirst(2))
        let reason = refusal(bytes)
        #expect(reason.contains("UTF-16 without a byte-order mark"), "\(reason)")
        #expect(!reason.contains("\u{0}"), "no NUL bytes in the message")
    }

    @Test func item5_emptyFileSaysSo() {
        #expect(refusal([]) == "the file is empty (0 bytes): no header and no rows")
    }

    /// OWASP CSV injection: cells starting `=`, `+`, `-`, `@`, tab or CR come out as quoted text
    /// behind a `'`; the JSON output is untouched.
    @Test func item5_csvOutputNeutralisesFormulaCells() throws {
        let input = "code,name,note,a,b,c,d\n91350100M000100Y43,福州某某科技有限公司,=HYPERLINK(\"http://x\"),+1,-2,@SUM(A1),\"\tt\"\n"
        let (out, _) = try checker.run(input: Array(input.utf8), options: .init(format: .csv, asOf: asOf))
        let text = String(decoding: out, as: UTF8.self)
        let row = try #require(text.split(separator: "\n").dropFirst().first)
        #expect(row.hasPrefix("2,\"'=HYPERLINK(\"\"http://x\"\")\",\"'+1\",\"'-2\",\"'@SUM(A1)\",\"'\tt\","), "\(row)")
        let (v, _) = try verdicts(Array(input.utf8))
        #expect(v[0].input["note"] == "=HYPERLINK(\"http://x\")" && v[0].input["b"] == "-2")
    }

    @Test func item5_aQuoteThatNeverClosesIsOneBrokenRowAtTheEnd() throws {
        let (v, _) = try verdicts(Array((Self.text + "91350100M000100Y43,\"open\n\n").utf8))
        #expect(v.count == 3)
        #expect(v[2].row == 5 && v[2].error?.hasPrefix("broken quoting") == true, "\(v[2])")
    }
}
