import Foundation
import GRDB
import Testing
import CreditQuery
@testable import CreditRegistry
import CreditSamples
import Decisions
import FeedIngest
@testable import creditctl

@Suite struct SubjectReportTests {
    let f: QueryFixture
    let builder: ReportBuilder
    init() throws {
        f = try QueryFixture()
        builder = ReportBuilder(registry: f.registry)
    }

    func day(_ s: String) -> Day { QueryFixture.d(s) }

    /// The report, audited in the fixture's log.
    func report(for identifier: String, options: ReportBuilder.Options) throws -> SubjectReport? {
        try builder.report(for: identifier, options: options, audit: f.audit)
    }

    @Test(arguments: [
        ("91350100M000100Y43", QueryFixture.companyA),                 // USCC
        ("９１３５０１００Ｍ０００１００Ｙ４３", QueryFixture.companyA),    // full width
        ("9135 0100 M000 100Y 43", QueryFixture.companyA),             // spaced
        ("91350100m000100y43", QueryFixture.companyA),                 // lower case
        ("350100100012345", QueryFixture.companyA),                    // legacy registration number
        ("M000100Y-4", QueryFixture.companyA),                         // organisation code with hyphen
        ("M000100Y4", QueryFixture.companyA),
        ("11010519491231002x", QueryFixture.personZhang),              // resident ID, lower-case x
        ("110105491231002", QueryFixture.personZhang),                 // 15-digit resident ID
    ])
    func lookUpByEveryIdentifierForm(identifier: String, expected: String) throws {
        let report = try #require(try report(for: identifier, options: .init(asOf: day("2023-06-01"), unmask: true, actor: "t")))
        #expect(report.identity.code == expected)
    }

    @Test func unknownIdentifierIsNilAndAudited() throws {
        #expect(try report(for: QueryFixture.unknownValid, options: .init(actor: "officer:1")) == nil)
        let entries = try f.audit.entries()
        #expect(entries.count == 1)
        #expect(entries[0].action == "lookup" && entries[0].detail.contains("not found"))
    }

    @Test func reportContents() throws {
        let r = try #require(try report(for: "350100100012345", options: .init(asOf: day("2023-06-01"), department: "pboc", actor: "officer:pboc-7")))
        #expect(r.identity.name == "福州某某科技有限公司")
        #expect(r.identity.statusLabel == "存续")
        #expect(r.statusHistory.map(\.status) == [.active])
        #expect(Set(r.aliases.map(\.scheme)) == [.uscc, .registrationNumber, .organizationCode])
        #expect(r.names.map(\.name).sorted() == ["福州某某电子有限公司", "福州某某科技有限公司"])
        #expect(r.names.first { $0.name == "福州某某电子有限公司" }?.current == false)
        #expect(r.names.first { $0.name == "福州某某科技有限公司" }?.current == true)

        // Key persons: current legal representative first, masked; the former one kept.
        let reps = r.keyPersons.filter { $0.role == .legalRepresentative }
        #expect(reps.count == 2)
        #expect(reps.first { $0.current }?.code == "110105********002X")
        #expect(reps.first { $0.current }?.name == "张丽")
        #expect(reps.first { !$0.current }?.to == day("2018-06-01"))
        #expect(r.keyPersons.first?.current == true)

        // Measures: the department's first, each with its causing records resolved.
        #expect(r.measures.map(\.measure) == ["FIN-03", "TAX-01"])
        #expect(r.measures[0].forDepartment && r.measures[0].financial)
        #expect(r.measures[0].departmentName == "中国人民银行")
        #expect(r.measures[0].causes.map(\.recordID) == [f.entryRecord, f.penaltyRecord])
        let cause = r.measures[0].causes[0]
        #expect(cause.bureau == "court" && cause.line == 42 && cause.file == "scjg-20190301.xml" && cause.documentNumber == "（2021）闽01执123号")

        #expect(r.listEntries.count == 1 && r.listEntries[0].active && r.listEntries[0].entry?.line == 42)
        #expect(r.penalties.first?.fineYuan == "50000.00")
        #expect(r.penalties.first?.source?.documentNumber == "榕市监罚〔2021〕88号")
    }

    @Test func withoutDepartmentPunishmentsComeFirstThenByDepartment() throws {
        let r = try #require(try report(for: QueryFixture.companyA, options: .init(asOf: day("2023-06-01"), actor: "t")))
        #expect(r.measures.map(\.measure) == ["FIN-03", "TAX-01"])   // pboc < tax
        let tax = try #require(try report(for: QueryFixture.companyA, options: .init(asOf: day("2023-06-01"), department: "税务局", actor: "t")))
        #expect(tax.measures.map(\.measure) == ["TAX-01", "FIN-03"], "a department may be named by its Chinese name too")
    }

    @Test func asOfFiltersTheDecisionTable() throws {
        let in2019 = try #require(try report(for: QueryFixture.companyA, options: .init(asOf: day("2019-06-01"), actor: "t")))
        #expect(in2019.measures.map(\.measure) == ["GREEN-1"])
        #expect(in2019.listEntries.isEmpty, "the 2022 listing is not known in 2019")
        #expect(in2019.penalties.isEmpty)
        let in2025 = try #require(try report(for: QueryFixture.companyA, options: .init(asOf: day("2025-06-01"), actor: "t")))
        #expect(in2025.measures.map(\.measure) == ["FIN-03"], "TAX-01 ended on 2025-01-01 (exclusive)")
        let onEnd = try #require(try report(for: QueryFixture.companyA, options: .init(asOf: day("2025-01-01"), actor: "t")))
        #expect(!onEnd.measures.contains { $0.measure == "TAX-01" })
        let in2017 = try #require(try report(for: QueryFixture.companyA, options: .init(asOf: day("2017-06-01"), actor: "t")))
        #expect(in2017.keyPersons.filter { $0.role == .legalRepresentative && $0.current }.map(\.name) == ["王强"])
    }

    @Test func personReportIsMaskedAndUnmaskIsAudited() throws {
        let masked = try #require(try report(for: "110105491231002", options: .init(asOf: day("2023-06-01"), actor: "officer:a")))
        #expect(masked.identity.code == "110105********002X")
        #expect(masked.aliases.allSatisfy { $0.value.contains("*") })
        #expect(masked.aliases.contains { $0.scheme == .residentID15 && $0.value == "110105*****1002" })
        #expect(masked.measures.first?.viaCode == QueryFixture.companyA, "organisation codes are not masked")
        #expect(masked.relatedSubjects.map(\.code) == [QueryFixture.companyA])
        let text = ReportRenderer.text(masked)
        #expect(!text.contains(QueryFixture.personZhang))

        let open = try #require(try report(for: "110105491231002", options: .init(asOf: day("2023-06-01"), unmask: true, actor: "officer:b")))
        #expect(open.identity.code == QueryFixture.personZhang)
        #expect(!open.masked)

        let log = try f.audit.entries(subject: QueryFixture.personZhang)
        #expect(log.map(\.action) == ["lookup", "lookup", "unmask"])
        #expect(log.map(\.actor) == ["officer:a", "officer:b", "officer:b"])
        #expect(!log.contains { $0.detail.contains(QueryFixture.personZhang) })
        #expect(try f.audit.verify().isIntact)
    }

    @Test func htmlIsSelfContainedAndEscaped() throws {
        try f.addCompanies([("91350100310115663M", "<script>alert('x')</script>&公司")])
        let r = try #require(try report(for: "91350100310115663M", options: .init(actor: "t")))
        let html = ReportRenderer.html(r)
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;公司"))
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("src="))
        let json = try JSONEncoder().encode(r)
        let back = try JSONDecoder().decode(SubjectReport.self, from: json)
        #expect(back == r)
    }
}
