import CreditTestSupport
import CreditOperations
import CreditQuery
import CreditRegistry
import Decisions
import FeedIngest
import Foundation
import GRDB
import NationalBridge
import Testing

/// Subjects come from any source, and the order feeds arrive in does not change what the
/// registry ends up knowing or deciding.
@Suite final class ArrivalOrderTests {
    static let samples = Support.rulesDir.deletingLastPathComponent().appendingPathComponent("samples")
    static let today = Support.day("2026-01-10")
    /// A person nobody registered: only the court's list names her.
    static let listedPerson = "350203198805120314"
    /// A person party to a tax case.
    static let taxPerson = "350205199001010029"
    let scratch: TemporaryDirectory
    var dir: URL { scratch.url }

    init() throws { scratch = try TemporaryDirectory("arrival-order") }

    func operations(_ name: String = "credit.db", activate: Bool = true) throws -> CreditOperations {
        let ops = try CreditOperations.open(path: dir.appendingPathComponent(name).path, clock: .fixed(Self.today))
        if activate { _ = try ops.activateRules(paths: [Support.rulesDir.path], author: "test") }
        return ops
    }

    func write(_ text: String, _ name: String) throws -> String {
        let path = dir.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A multi-list national file naming the person by resident ID.
    func nationalList() throws -> String {
        try write("""
            list,code,id_number,name,ground,case_number,authority,listed_on,exited_on
            dishonest_debtor,,\(Self.listedPerson),李 秀 英,1,（2025）闽0203执1号,厦门市思明区人民法院,2025-03-01,
            dishonest_debtor,91350200MA31JK9B9X,,厦门鑫源建材有限公司,1,（2023）闽0211执1234号,厦门市集美区人民法院,2023-10-12,

            """, "national.csv")
    }

    /// A tax feed with one case whose party is a natural person.
    func taxCase(sequence: Int = 1) throws -> String {
        try write("""
            <?xml version="1.0" encoding="UTF-8"?>
            <feed xmlns="urn:credit-engine:feed:tax:1" version="1.0">
              <header><bureau>tax</bureau><feedId>STA-PERSON-\(sequence)</feedId><sequence>\(sequence)</sequence><generatedAt>2025-06-30T03:00:00+08:00</generatedAt><kind>full</kind></header>
              <case key="TAXCASE-P-2025" op="upsert">
                <code>\(Self.taxPerson)</code><name>王芳</name><caseNumber>厦税稽罚〔2025〕41号</caseNumber><caseType>偷税</caseType>
                <publishedOn>2025-05-20</publishedOn><facts>隐匿个人经营收入，少缴个人所得税。</facts><amount>120.00</amount>
                <authority>国家税务总局厦门市税务局</authority><authorityCode>11350200MB0T4C5P8R</authorityCode>
              </case>
            </feed>
            """, "tax-person-\(sequence).xml")
    }

    /// A commerce registration naming the listed person as legal representative.
    func registrationNamingThePerson() throws -> String {
        try write("""
            <?xml version="1.0" encoding="UTF-8"?>
            <feed xmlns="urn:credit-engine:feed:commerce:1" version="1.0">
              <header><bureau>commerce</bureau><feedId>SAMR-MERGE-1</feedId><sequence>1</sequence><generatedAt>2025-07-01T02:00:00+08:00</generatedAt><kind>full</kind></header>
              <registration key="REG-M1" op="upsert">
                <event>new</event><eventDate>2025-07-01</eventDate><code>91350200MA31JK9B9X</code><name>厦门鑫源建材有限公司</name>
                <kind>enterprise</kind><status>active</status><established>2018-04-02</established><authority>厦门市市场监督管理局</authority>
                <person><role>legal_representative</role><name>李秀英</name><id>\(Self.listedPerson)</id><from>2018-04-02</from></person>
              </registration>
            </feed>
            """, "commerce-merge.xml")
    }

    func measures(_ registry: Registry, _ code: String) throws -> [String] {
        try registry.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT measure FROM decision WHERE subject_code = ? ORDER BY 1", arguments: [code]) }
    }

    /// What the shipped rules give the subject's own facts, evaluated directly.
    func expected(_ registry: Registry, _ code: String) throws -> [String] {
        let facts = try #require(try registry.facts(of: code, asOf: Self.today))
        return Array(Set(Support.shipped().evaluate(facts, asOf: Self.today).filter { $0.subject == code }.map(\.measureID))).sorted()
    }

    @Test func aPersonKnownOnlyFromTheNationalListGetsTheShippedMeasures() throws {
        let ops = try operations()
        let outcome = try NationalBridge(operations: ops).importDishonestDebtors(path: try nationalList())
        #expect(outcome.report.outcome == .ingested && outcome.report.rejected == 0, "\(outcome.report.rejects)")
        let person = try #require(try ops.registry.lookup(Self.listedPerson))
        #expect(person.kind == .naturalPerson)
        let got = try measures(ops.registry, Self.listedPerson)
        #expect(got.contains("dd_high_consumption_ban") && got.contains("dd_exit_ban"), "\(got)")
        #expect(got == (try expected(ops.registry, Self.listedPerson)))
        let report = try #require(try ops.report(Self.listedPerson, options: .init(actor: "test")))
        #expect(!report.identity.code.contains(Self.listedPerson), "the resident ID is masked")
    }

    @Test func aPersonPartyToATaxCaseGetsTheNaturalPersonMeasures() throws {
        let ops = try operations()
        let report = try ops.ingestFeed(path: try taxCase()).report
        #expect(report.outcome == .ingested && report.rejected == 0, "\(report.rejects)")
        #expect(try ops.registry.lookup(Self.taxPerson)?.kind == .naturalPerson)
        let rules = try ops.registry.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT rule FROM decision WHERE subject_code = ?", arguments: [Self.taxPerson])
        }
        #expect(rules.contains { $0.hasSuffix("natural_person") || $0.hasSuffix("natural_person_exit") }, "a natural-person rule fires: \(rules)")
        #expect(try measures(ops.registry, Self.taxPerson) == (try expected(ops.registry, Self.taxPerson)))
    }

    @Test func aLaterRegistrationNamingTheListedPersonMergesIntoTheSameSubject() throws {
        let ops = try operations()
        _ = try NationalBridge(operations: ops).importDishonestDebtors(path: try nationalList())
        let before = try measures(ops.registry, Self.listedPerson)
        #expect(try ops.ingestFeed(path: try registrationNamingThePerson()).report.rejected == 0)
        try ops.registry.read { db in
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM subject WHERE code = ?", arguments: [Self.listedPerson]) == 1)
            let person = try #require(try ops.registry.subject(code: Self.listedPerson, in: db))
            #expect(person.name == "李秀英", "the registration is authoritative for the name")
            let variants = try ops.registry.nameVariants(of: Self.listedPerson, in: db)
            #expect(variants.contains { $0.name == "李 秀 英" && $0.source == .list }, "the court's spelling is kept: \(variants)")
            #expect(variants.contains { $0.name == "李秀英" && $0.source == .named })
            let records = try ops.registry.records(of: Self.listedPerson, in: db)
            #expect(records.map(\.bureau) == ["national"], "the list's history stays with the person")
            let facts = try #require(try ops.registry.facts(of: Self.listedPerson, in: db))
            #expect(facts.listEntries.count == 1)
            #expect(facts.roles.map(\.from) == ["91350200MA31JK9B9X"], "and the registration's relation joins it")
        }
        let after = try measures(ops.registry, Self.listedPerson)
        #expect(Set(before).isSubset(of: Set(after)), "the person keeps the list's measures: \(before) → \(after)")
        #expect(after == (try ops.registry.read { db in
            try Decisions.RegistryEvaluator(rules: Support.shipped(), registry: ops.registry)
                .decisions(for: Self.listedPerson, asOf: Self.today, in: db).map(\.measureID)
        }).reduce(into: Set<String>()) { $0.insert($1) }.sorted())
    }

    /// The usual order (commerce first) and the reverse (tax, food and national first) give the
    /// same registry and the same decisions, with rules active throughout.
    @Test func otherBureausBeforeCommerceEndTheSameAsTheUsualOrder() throws {
        let commerce = ["feeds/commerce-0001-full.xml", "feeds/commerce-0002-delta.xml"].map { Self.samples.appendingPathComponent($0).path }
        let others = ["feeds/tax-0001-full.xml", "feeds/food-0001-full.xml"].map { Self.samples.appendingPathComponent($0).path }
        let national = Self.samples.appendingPathComponent("national/dishonest-debtors.csv").path

        let usual = try operations("usual.db")
        for f in commerce + others { #expect(try usual.ingestFeed(path: f).report.outcome == .ingested) }
        _ = try NationalBridge(operations: usual).importDishonestDebtors(path: national)

        let early = try operations("early.db")
        for f in others { #expect(try early.ingestFeed(path: f).report.outcome == .ingested) }
        _ = try NationalBridge(operations: early).importDishonestDebtors(path: national)
        #expect(try early.pendingRecords().isEmpty, "records naming their subject introduce it: nothing waits for commerce")
        for f in commerce { #expect(try early.ingestFeed(path: f).report.outcome == .ingested) }

        let a = try RegistryFingerprint(usual.registry), b = try RegistryFingerprint(early.registry)
        #expect(a == b, "\(a.difference(from: b))")

        // And both equal a registry that took everything in, then activated.
        let fresh = try operations("fresh.db", activate: false)
        for f in commerce + others { _ = try fresh.ingestFeed(path: f) }
        _ = try NationalBridge(operations: fresh).importDishonestDebtors(path: national)
        _ = try fresh.activateRules(paths: [Support.rulesDir.path], author: "test")
        let c = try RegistryFingerprint(fresh.registry)
        #expect(a == c, "\(a.difference(from: c))")
    }

    /// A food feed that sends an exit before the entry it closes: the exit waits, `pending`
    /// lists it, and the feed with the entry applies it with the exit's own provenance.
    @Test func anExitBeforeItsEntryWaitsUntilTheEntryArrives() throws {
        let ops = try operations()
        for f in ["feeds/commerce-0001-full.xml"] { _ = try ops.ingestFeed(path: Self.samples.appendingPathComponent(f).path) }
        let company = "91350200MA3MPQ5A32"
        func food(_ seq: Int, kind: String, _ body: String) throws -> String {
            try write("""
                <?xml version="1.0" encoding="UTF-8"?>
                <feed xmlns="urn:credit-engine:feed:food:1" version="1.0">
                  <header><bureau>food</bureau><feedId>FSA-ORDER-\(seq)</feedId><sequence>\(seq)</sequence><generatedAt>2025-09-01T08:00:00+08:00</generatedAt><kind>\(kind)</kind></header>
                \(body)
                </feed>
                """, "food-order-\(seq).xml")
        }
        let exit = try food(1, kind: "full", """
              <dishonestExit key="FDX-9" op="upsert"><code>\(company)</code><name>厦门嘉禾建设工程有限公司</name><entryKey>FD-9</entryKey>
                <reason>信用修复</reason><removedOn>2025-08-01</removedOn><authority>厦门市市场监督管理局</authority></dishonestExit>
            """)
        let first = try ops.ingestFeed(path: exit).report
        #expect(first.outcome == .ingested && first.parked == 1 && first.rejected == 0)
        let pending = try ops.pendingRecords()
        #expect(pending.count == 1)
        #expect(pending.first?.key == "FDX-9" && pending.first?.line == 4 && pending.first?.feed == "food-order-1.xml", "\(pending)")
        #expect(pending.first?.reason.contains("food:FD-9") == true)
        #expect(try ops.ingestFeed(path: exit).report.outcome == .alreadyIngested, "re-sending stays a no-op")

        let entry = try food(2, kind: "delta", """
              <dishonestEntry key="FD-9" op="upsert"><code>\(company)</code><name>厦门嘉禾建设工程有限公司</name>
                <documentNumber>厦市监食严〔2025〕9号</documentNumber><reason>生产经营添加非食用物质的食品</reason>
                <listedOn>2025-03-01</listedOn><until>2027-03-01</until><authority>厦门市市场监督管理局</authority>
                <authorityCode>11350200MB0M1A2KX3</authorityCode></dishonestEntry>
            """)
        let second = try ops.ingestFeed(path: entry).report
        #expect(second.released == 1 && second.parked == 0)
        #expect(try ops.pendingRecords().isEmpty)
        let facts = try #require(try ops.registry.facts(of: company))
        #expect(facts.listEntries.first { $0.list == KnownList.foodDrugSeriousDishonest }?.exitedOn == Support.day("2025-08-01"))
        let exitRecord = try ops.registry.read { db in try ops.registry.records(of: company, in: db).first { $0.bureauKey == "FDX-9" } }
        let feedOfExit = try #require(try ops.feed("FSA-ORDER-1"))
        #expect(exitRecord?.feed == feedOfExit.id && exitRecord?.line == 4, "applied with its original provenance")
        #expect(try measures(ops.registry, company).filter { $0.hasPrefix("fd_") }.isEmpty, "the exit ended the listing's measures")
    }
}
