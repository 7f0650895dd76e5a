import CreditTestSupport
import CreditOperations
import CreditQuery
import CreditRegistry
import Foundation
import Hummingbird
import HummingbirdTesting
import NationalBridge
import Testing
@testable import CreditService

/// The public query on a real server on 127.0.0.1, without a token, over the sample registry;
/// and the publication of the same days, which must agree with it.
/// SQLite only: its registry carries a credit repair written straight into the SQLite store (no feed carries one).
@Suite struct PublicQueryTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// General penalty of 2024-11-20, publicity end 2025-11-20 in the feed.
    static let expiring = (code: "91350200MA39BC2KX8", document: "厦市监罚〔2024〕118号")
    /// General penalty of 2024-12-05, repaired on 2025-04-01 (after the 3-month minimum).
    static let repaired = (code: "91350200MA3FHJ8R26", document: "厦市监罚〔2024〕233号", key: "commerce:PEN-C19-2024-033")
    static let repairDay = "2025-04-01"

    let scratch: TemporaryDirectory
    let registry: Registry

    init() throws {
        scratch = try TemporaryDirectory("public-query")
        let ops = try CreditOperations.open(path: scratch.path("credit.db"), clock: .fixed(try Day("2025-07-10")))
        for f in ["feeds/commerce-0001-full.xml", "feeds/commerce-0002-delta.xml", "feeds/food-0001-full.xml", "feeds/tax-0001-full.xml"] {
            _ = try ops.ingestFeed(path: Self.root.appendingPathComponent("samples/\(f)").path)
        }
        _ = try NationalBridge(operations: ops).importDishonestDebtors(path: Self.root.appendingPathComponent("samples/national/dishonest-debtors.csv").path)
        _ = try ops.activateRules(paths: [Self.root.appendingPathComponent("rules").path], author: "test")
        let registry = ops.registry
        self.registry = registry
        // Credit repair granted: the penalty row carries the day it took effect.
        let repairDay = try Day(Self.repairDay)
        try registry.write { db in
            guard var p = try registry.facts(of: Self.repaired.code, in: db)?.penalties.first(where: { $0.documentNumber == Self.repaired.document })
            else { throw TestFailure("sample penalty \(Self.repaired.document) missing") }
            p.repairedOn = repairDay
            try registry.putPenalty(p, subject: Self.repaired.code, recordKey: Self.repaired.key, in: db)
        }
    }

    struct TestFailure: Error, CustomStringConvertible { var description: String; init(_ d: String) { description = d } }

    func operations(today: String) throws -> CreditOperations { try CreditOperations(registry: registry, clock: .fixed(try Day(today))) }

    func app(today: String, limit: RateLimit = .default) throws -> some ApplicationProtocol {
        buildApplication(operations: try operations(today: today), tokens: TokenStore(tokens: [:]), host: "127.0.0.1", port: 0,
                         publicRateLimit: limit)
    }

    static func get(_ client: some TestClientProtocol, _ uri: String) async throws -> (status: Int, body: String, headers: HTTPFields) {
        try await client.execute(uri: uri, method: .get) { r in (Int(r.status.code), String(buffer: r.body), r.headers) }
    }

    static func encoded(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? s }

    /// Resident ID numbers of the samples (legal representatives, debtors): never in a public answer.
    static func personalIDs() throws -> [String] {
        var ids = Set<String>()
        for f in ["feeds/commerce-0001-full.xml", "feeds/commerce-0002-delta.xml", "feeds/food-0001-full.xml", "feeds/tax-0001-full.xml",
                  "national/dishonest-debtors.csv"] {
            let text = try String(contentsOf: root.appendingPathComponent("samples/\(f)"), encoding: .utf8)
            let regex = try NSRegularExpression(pattern: "(?<![0-9A-Z])[1-6][0-9]{5}(19|20)[0-9]{2}[01][0-9][0-3][0-9][0-9]{3}[0-9X](?![0-9A-Z])")
            for m in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                if let r = Range(m.range, in: text) { ids.insert(String(text[r])) }
            }
        }
        return ids.sorted()
    }

    @Test func answersWithoutATokenAndNeverShowsPersonalOrNonPublicData() async throws {
        let ids = try Self.personalIDs()
        #expect(ids.count >= 5, "the samples name persons by ID number")
        try await app(today: "2025-07-10", limit: RateLimit(perSecond: 1000, burst: 1000)).test(.live) { client in
            // A subject with a D tax grade and measures in force: neither is public.
            let r = try await Self.get(client, "/public/v1/subjects/91350200MA2XH1K70Y")
            #expect(r.status == 200, "\(r.body)")
            let json = try JSONSerialization.jsonObject(with: Data(r.body.utf8)) as? [String: Any]
            #expect((json?["subject"] as? [String: Any])?["name"] as? String == "华兴科技（厦门）有限公司")
            for hidden in ["tax_grade_d", "measure", "taxGrade", "keyPersons", "legal_representative", "陈建国"] {
                #expect(!r.body.contains(hidden), "non-public \(hidden) in \(r.body)")
            }
            var bodies = [r.body]
            for code in ["91350200MA39BC2KX8", "91350200MA3ACD3L30", "92350203L7B4N5P94M", "350200201603011"] {
                let answer = try await Self.get(client, "/public/v1/subjects/\(code)")
                #expect(answer.status == 200, "\(code): \(answer.body)")
                bodies.append(answer.body)
            }
            for q in ["厦门", "有限公司", "华兴", "陈建国"] {
                let s = try await Self.get(client, "/public/v1/search?q=\(Self.encoded(q))")
                #expect(s.status == 200)
                #expect(!s.body.contains("natural_person") && !s.body.contains("hasMeasures"))
                bodies.append(s.body)
            }
            for id in ids {
                #expect(bodies.allSatisfy { !$0.contains(id) }, "personal ID number \(id) in a public answer")
                let person = try await Self.get(client, "/public/v1/subjects/\(id)")
                #expect(person.status == 404 && person.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                #expect(person.body.contains("\"code\":\"not_found\""))
            }
            let missing = try await Self.get(client, "/public/v1/search")
            #expect(missing.status == 400 && missing.body.contains("missing_query"))
        }
    }

    @Test func refusesAboveTheRateLimitWithAProblemDocument() async throws {
        try await app(today: "2025-07-10", limit: RateLimit(perSecond: 0, burst: 3)).test(.live) { client in
            for _ in 0..<3 {
                #expect(try await Self.get(client, "/public/v1/subjects/91350200MA2XH1K70Y").status == 200)
            }
            let refused = try await Self.get(client, "/public/v1/search?q=\(Self.encoded("华兴"))")
            #expect(refused.status == 429)
            #expect(refused.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            #expect(Int(refused.headers[.retryAfter] ?? "") ?? 0 >= 1)
            let problem = try JSONSerialization.jsonObject(with: Data(refused.body.utf8)) as? [String: Any]
            #expect(problem?["code"] as? String == "rate_limited" && problem?["status"] as? Int == 429)
            // The page and the officers' API are not counted.
            #expect(try await Self.get(client, "/public/").status == 200)
            #expect(try await Self.get(client, "/health").status == 200)
        }
    }

    @Test func publicPageIsChineseAndSelfContained() async throws {
        try await app(today: "2025-07-10").test(.live) { client in
            let page = try await Self.get(client, "/public/")
            #expect(page.status == 200 && page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(page.body.contains("lang=\"zh-CN\"") && page.body.contains("公共信用信息查询"))
            #expect(page.body.contains("/public/v1/search") && page.body.contains("/public/v1/subjects/"))
            #expect(page.body.contains("<label for=\"q\">"), "the search box has a label")
            for external in ["src=\"http", "href=\"http", "@import", "url(http", "//cdn"] {
                #expect(!page.body.contains(external), "external resource: \(external)")
            }
            #expect(!page.body.contains("\"/v1/") && !page.body.contains("Bearer"), "not the officers' page")
        }
    }

    /// A penalty is public from the day of its decision, gone the day its period ends (and the
    /// day a repair takes effect), in the query and in the next delta of the publication.
    @Test func withdrawalOnTheDayInTheQueryAndTheNextDelta() async throws {
        let out = scratch.path("open-data")
        // (day, expiring penalty shown, repaired penalty shown)
        let days: [(String, Bool, Bool)] = [("2024-11-19", false, false), ("2024-11-20", true, false), ("2024-12-05", true, true),
                                            ("2025-03-31", true, true), (Self.repairDay, true, false), ("2025-11-19", true, false),
                                            ("2025-11-20", false, false)]
        var previous: (Bool, Bool) = (false, false)
        for (day, expiringShown, repairedShown) in days {
            try await app(today: day).test(.live) { client in
                for (code, document, shown) in [(Self.expiring.code, Self.expiring.document, expiringShown),
                                                (Self.repaired.code, Self.repaired.document, repairedShown)] {
                    let r = try await Self.get(client, "/public/v1/subjects/\(code)")
                    #expect(r.status == 200)
                    #expect(r.body.contains(document) == shown, "\(day): \(document) shown \(!shown), expected \(shown)")
                }
            }
            let manifest = try operations(today: day).publish(into: out)
            let delta = try String(contentsOfFile: "\(out)/\(day)/delta/penalties.jsonl", encoding: .utf8)
            let snapshot = try String(contentsOfFile: "\(out)/\(day)/penalties.jsonl", encoding: .utf8)
            #expect(snapshot.contains(Self.expiring.document) == expiringShown, "\(day): the publication agrees with the query")
            #expect(snapshot.contains(Self.repaired.document) == repairedShown, "\(day): the publication agrees with the query")
            func line(_ document: String) -> String? { delta.split(separator: "\n").first { $0.contains(document) }.map(String.init) }
            for (document, was, now) in [(Self.expiring.document, previous.0, expiringShown), (Self.repaired.document, previous.1, repairedShown)] {
                switch (was, now) {
                case (false, true): #expect(line(document)?.hasPrefix("{\"change\":\"added\"") == true, "\(day): \(document) added")
                case (true, false): #expect(line(document)?.hasPrefix("{\"change\":\"withdrawn\"") == true, "\(day): \(document) withdrawn")
                default: #expect(line(document) == nil, "\(day): \(document) unchanged")
                }
            }
            if day == "2025-11-20" { #expect(line(Self.expiring.document)?.contains("\"withdrawal\":\"period_ended\"") == true) }
            if day == Self.repairDay { #expect(line(Self.repaired.document)?.contains("\"withdrawal\":\"ended\"") == true) }
            #expect(manifest.counts["penalties"]?.withdrawn ?? 0 >= (previous.0 && !expiringShown ? 1 : 0))
            previous = (expiringShown, repairedShown)
        }
    }
}
