import CreditTestSupport
import Foundation
import GRDB
import Testing
@testable import CreditQuery
@testable import CreditRegistry
@testable import CreditSamples
import Decisions
@testable import FeedIngest

@Suite struct BatchCheckerTests {
    let f: QueryFixture
    let checker: BatchChecker
    let asOf = QueryFixture.d("2023-06-01")
    init() throws {
        f = try QueryFixture()
        checker = BatchChecker(registry: f.registry)
    }

    func verdicts(_ text: String, options: BatchChecker.Options? = nil) throws -> ([BatchVerdict], BatchChecker.Summary) {
        try verdicts(Array(text.utf8), options: options)
    }

    func verdicts(_ bytes: [UInt8], options: BatchChecker.Options? = nil) throws -> ([BatchVerdict], BatchChecker.Summary) {
        var o = options ?? BatchChecker.Options(asOf: asOf)
        o.format = .json
        let (out, summary) = try checker.run(input: bytes, options: o)
        let lines = String(decoding: out, as: UTF8.self).split(separator: "\n")
        let decoder = JSONDecoder()
        return (try lines.map { try decoder.decode(BatchVerdict.self, from: Data($0.utf8)) }, summary)
    }

    static let sample = """
        序号,统一社会信用代码,企业名称,备注
        1,91350100M000100Y43,福州某某科技有限公司,exact
        2,91350100350100124L,福州海峡贸易(集团)有限公司,brackets
        3,91350100110105882H,北京天行科技公司,similar
        4,91350100110105882H,上海东方明珠有限公司,different
        5,91350100440300779R,某公司,unknown
        6,91350100M000100Y44,福州某某科技有限公司,bad check digit
        7,,无代码公司,blank
        8
        9,"91350100M000100Y43"x,福州某某科技有限公司,broken
        10,9135 0100 m000 100y 43,福州某某电子有限公司,former name spaced lower
        11,11010519491231002X,张丽,person

        """

    @Test func verdictsOfASampleFile() throws {
        let (v, summary) = try verdicts(Self.sample)
        #expect(v.map(\.row) == Array(2...12))
        #expect(v.map { $0.input["序号"] } == (1...11).map(String.init))
        #expect(v.map { $0.input["备注"] ?? "-" }.count == 11)

        #expect(v[0].found && v[0].codeValid && v[0].nameMatch == .exact)
        #expect(v[0].punishments == ["FIN-03", "TAX-01"] && v[0].financialMeasures == ["FIN-03"])
        #expect(v[0].lists == [KnownList.dishonestDebtor])
        #expect(v[0].flagged && v[0].status == "active" && v[0].asOf == asOf)

        #expect(v[1].nameMatch == .normalised && v[1].nameScore == 1 && !v[1].flagged)
        #expect(v[1].registeredName == "福州海峡贸易（集团）有限公司")
        #expect(v[2].nameMatch == .similar && (v[2].nameScore ?? 0) >= 0.6 && !v[2].flagged)
        #expect(v[3].nameMatch == .different && v[3].flagged)

        #expect(v[4].codeValid && !v[4].found && v[4].flagged && v[4].nameMatch == nil)
        #expect(!v[5].codeValid && v[5].codeProblem == "check character is 4 but should be 3 (position 18)" && !v[5].found)
        #expect(v[6].error == "blank code" && v[6].codeProblem == "blank code" && !v[6].found)
        #expect(v[7].error?.hasPrefix("missing columns") == true && v[7].input["序号"] == "8")
        #expect(v[8].error?.hasPrefix("broken quoting") == true)
        #expect(v[9].code == QueryFixture.companyA && v[9].nameMatch == .former)
        #expect(v[10].code == "110105********002X" && v[10].registeredName == "张*" && v[10].nameMatch == .exact)
        #expect(v[10].punishments == ["TRAVEL-1"])

        #expect(summary.rows == 11)
        #expect(summary.valid == 7)
        #expect(summary.found == 6)
        #expect(summary.errors == 3)
        #expect(summary.flagged == 9)
    }

    @Test func prefetchedCodesGiveTheSameVerdicts() throws {
        for format in BatchChecker.Format.allCases {
            let probe = try checker.run(input: Array(Self.sample.utf8), options: .init(format: format, asOf: asOf, prefetch: false))
            let known = try checker.run(input: Array(Self.sample.utf8), options: .init(format: format, asOf: asOf, prefetch: true))
            #expect(probe.output == known.output)
            let past = try checker.run(input: Array(Self.sample.utf8), options: .init(format: format, asOf: QueryFixture.d("2019-06-01"), prefetch: true))
            #expect(past.output != known.output)
        }
    }

    @Test func asOfDecidesMeasuresAndLists() throws {
        let (v, _) = try verdicts("code\n91350100M000100Y43\n", options: .init(asOf: QueryFixture.d("2019-06-01")))
        #expect(v[0].punishments.isEmpty && v[0].incentives == ["GREEN-1"] && v[0].lists.isEmpty && !v[0].flagged)
        #expect(v[0].nameMatch == .absent)
    }

    @Test func gb18030InputGivesTheSameVerdictsAsUTF8() throws {
        let utf8 = Array(Self.sample.utf8)
        let gb = try Self.iconv(utf8, to: "GB18030")
        #expect(gb != utf8)
        let o = BatchChecker.Options(format: .csv, asOf: asOf)
        let (a, sa) = try checker.run(input: utf8, options: o)
        let (b, sb) = try checker.run(input: gb, options: o)
        #expect(a == b)
        #expect(sa.encoding == "UTF-8" && sb.encoding == "GB18030")
        let bom = [0xEF, 0xBB, 0xBF] + utf8
        #expect(try checker.run(input: bom, options: o).output == a)
        #expect(try checker.run(input: Array(Self.sample.replacingOccurrences(of: "\n", with: "\r\n").utf8), options: o).output == a)
    }

    @Test func item5_emptyFileIsRefusedAndAHeaderAloneGivesNoVerdicts() throws {
        #expect { try checker.run(input: [], options: .init(asOf: asOf)) } throws: { error in
            (error as? BatchError)?.message == "the file is empty (0 bytes): no header and no rows"
        }
        #expect { try checker.run(input: [0xEF, 0xBB, 0xBF], options: .init(asOf: asOf)) } throws: { error in
            (error as? BatchError)?.message.contains("no rows") == true
        }
        let (v, s2) = try verdicts("code,name\n")
        #expect(v.isEmpty && s2.rows == 0)
    }

    @Test func oneCodePerLine() throws {
        let (v, summary) = try verdicts("91350100M000100Y43\n350100100012345\nnonsense\n91350100350100124L")
        #expect(v.map(\.row) == [1, 2, 3, 4])
        #expect(v.map(\.found) == [true, true, false, true])
        #expect(v[1].code == QueryFixture.companyA)
        #expect(v[2].codeProblem?.contains("got 8") == true, "\(v[2].codeProblem ?? "")")
        #expect(summary.rows == 4)
    }

    @Test func csvShapeAndQuoting() throws {
        let (out, _) = try checker.run(input: Array("code,name,note\n91350100M000100Y43,福州某某科技有限公司,\"a, \"\"quoted\"\" note\"\n".utf8),
                                       options: .init(format: .csv, asOf: asOf))
        let lines = String(decoding: out, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines[0] == "row,note," + BatchVerdict.csvColumns.joined(separator: ","))
        #expect(lines[1].hasPrefix("2,\"a, \"\"quoted\"\" note\",91350100M000100Y43,true,,true,福州某某科技有限公司,exact,1.00,active,dishonest_debtor,FIN-03;TAX-01,,FIN-03,true,2023-06-01,"))
    }

    @Test func jsonLinesShape() throws {
        let (out, _) = try checker.run(input: Array("code,name\n91350100M000100Y43,福州某某科技有限公司\n".utf8),
                                       options: .init(format: .json, asOf: asOf))
        let text = String(decoding: out, as: UTF8.self)
        #expect(text.hasSuffix("}\n") && text.split(separator: "\n").count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out)) as? [String: Any])
        #expect(Set(object.keys) == ["row", "input", "code", "code_valid", "code_problem", "found", "registered_name", "name_match",
                                     "name_score", "status", "lists", "punishments", "incentives", "financial_measures", "flagged",
                                     "as_of", "error"])
        #expect(object["row"] as? Int == 2 && object["as_of"] as? String == "2023-06-01")
    }

    @Test func outputKeepsInputOrderUnderParallelism() throws {
        var registered = [QueryFixture.companyA, QueryFixture.companyB, QueryFixture.companyC, QueryFixture.unknownValid, "350100100012345", "BAD"]
        var rng = SystemRandomNumberGenerator()
        var lines = ["code,name,n"]
        var expected: [String] = []
        for i in 0..<5000 {
            registered.shuffle(using: &rng)
            lines.append("\(registered[0]),x,\(i)")
            expected.append(registered[0])
        }
        let (v, summary) = try verdicts(lines.joined(separator: "\n"), options: .init(asOf: asOf, threads: 2, batchRows: 7))
        #expect(summary.rows == 5000)
        #expect(v.map(\.row) == Array(2...5001))
        #expect(v.map { $0.input["n"] } == (0..<5000).map(String.init))
        let resolved = expected.map { $0 == "350100100012345" ? QueryFixture.companyA : $0 }
        #expect(v.map(\.code) == resolved)
    }

    @Test func missingCodeColumnIsAnError() throws {
        #expect(throws: BatchError.self) { try checker.run(input: Array("foo,bar\nx,y\n".utf8), options: .init()) }
        let (v, _) = try verdicts("x,证件,名字\n1,91350100M000100Y43,福州某某科技有限公司\n",
                                  options: .init(asOf: asOf, codeColumn: "证件", nameColumn: "名字"))
        #expect(v.first?.nameMatch == .exact && v.first?.input == ["x": "1"])
    }

    @Test func builtInCodeCheck() {
        #expect(CodeCheck.builtIn("91350100M000100Y43").valid)
        #expect(CodeCheck.builtIn("９１３５０１００Ｍ０００１００Ｙ４３").normalised == "91350100M000100Y43")
        #expect(CodeCheck.builtIn("11010519491231002X").valid)
        #expect(CodeCheck.builtIn("110105491231002").valid, "a 15-digit legacy identifier")
        let wrongCheck = CodeCheck.builtIn("110105199003071230")
        #expect(!wrongCheck.valid && wrongCheck.reason?.contains("9") == true, "\(wrongCheck.reason ?? "")")
        #expect(CodeCheck.builtIn("91350100M000100Y4Z").reason?.contains("18") == true)
        #expect(CodeCheck.builtIn("91350100M000100YI3").reason?.contains("I") == true)
        #expect(CodeCheck.builtIn("99350100M000100Y43").reason?.contains("category") == true)
        #expect(CodeCheck.builtIn("M000100Y-4").valid)
        #expect(CodeCheck.builtIn("M000100Y-4").normalised == "M000100Y4")
        #expect(CodeCheck.builtIn("M000100Y-5").valid == false)
        #expect(CodeCheck.builtIn("123").valid == false)
        #expect(CodeCheck.builtIn("  ").reason == "blank code")
    }

    @Test func nameMatcher() {
        #expect(NameMatcher.compare("福州海峡贸易(集团)有限公司", "福州海峡贸易（集团）有限公司").match == .normalised)
        #expect(NameMatcher.compare("福州 海峡 贸易有限公司", "福州海峡贸易有限公司").match == .normalised)
        #expect(NameMatcher.compare("ＡＢＣ有限公司", "abc有限公司").match == .normalised)
        #expect(NameMatcher.compare("北京天行科技公司", "北京天行科技有限公司").match == .similar)
        #expect(NameMatcher.compare("上海东方明珠有限公司", "北京天行科技有限公司").match == .different)
    }

    static func iconv(_ bytes: [UInt8], to encoding: String) throws -> [UInt8] {
        let scratch = try TemporaryDirectory("iconv")
        let src = scratch.url.appendingPathComponent("input.txt")
        try Data(bytes).write(to: src)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        p.arguments = ["-f", "UTF-8", "-t", encoding, src.path]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Array(data)
    }
}
