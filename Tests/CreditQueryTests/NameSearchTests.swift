import Foundation
import GRDB
import Testing
import CreditQuery
@testable import CreditRegistry
import CreditSamples
import Decisions
import FeedIngest

@Suite struct NameSearchTests {
    let f: QueryFixture
    let search: NameSearch
    init() throws {
        f = try QueryFixture()
        search = NameSearch(registry: f.registry)
        try f.addCompanies([
            ("S01", "天行科技"),
            ("S02", "天行科技有限公司"),
            ("S03", "上海天行科技有限公司"),
            ("S04", "杭州天行科技发展有限公司"),
            ("S05", "福州闽江餐饮管理有限公司"),
            ("S06", "厦门鹭岛物流有限公司"),
            ("S07", "深圳南山电子商务有限公司"),
            ("S08", "成都天府文化传媒有限公司"),
            ("S09", "武汉江城建筑工程有限责任公司"),
            ("S10", "南京金陵医药股份有限公司"),
            ("S11", "福州华章文化有限公司"),
            ("S12", "泉州晋江鞋业有限公司"),
        ])
        // S13 used to bear S11's name.
        try f.registry.write { [f] db in
            try f.registry.upsert(Subject(code: "S13", kind: .enterprise, name: "福州华章文化有限公司"), in: db)
            try f.registry.addName("福州华章文化有限公司", of: "S13", from: nil, to: QueryFixture.d("2020-01-01"), in: db)
            try f.registry.upsert(Subject(code: "S13", kind: .enterprise, name: "福州新华章传媒有限公司"), in: db)
        }
    }

    @Test func substringHitsAndNoFalseHits() throws {
        let hits = try search.search("某某科技")
        #expect(hits.map(\.code) == [QueryFixture.companyA])
        #expect(hits[0].hasMeasures)
        #expect(hits[0].match == .substring)
        #expect(try search.search("天府文化").map(\.code) == ["S08"])
        #expect(try search.search("天行电子").isEmpty, "no hit on names that share only some characters")
        #expect(try search.search("金陵医药股份").map(\.code) == ["S10"])
    }

    @Test func formerNamesAreSearchable() throws {
        let hits = try search.search("某某电子")
        #expect(hits.map(\.code) == [QueryFixture.companyA])
        #expect(hits[0].former)
        #expect(hits[0].matchedName == "福州某某电子有限公司")
        #expect(hits[0].name == "福州某某科技有限公司")
    }

    @Test func rankingExactThenPrefixThenSubstring() throws {
        let hits = try search.search("天行科技")
        #expect(hits.map(\.code) == ["S01", "S02", "S03", QueryFixture.companyC, "S04"])
        #expect(hits.map(\.match) == [.exact, .prefix, .substring, .substring, .substring])
        // Within substrings: nearer the start, then shorter.
        #expect(hits[2].matchedName == "上海天行科技有限公司")   // position 2, 10 characters
        #expect(hits[3].matchedName == "北京天行科技有限公司")   // position 2, 10 characters, name order
        #expect(hits[4].matchedName == "杭州天行科技发展有限公司")
    }

    @Test func currentNamesBeforeFormerNames() throws {
        let hits = try search.search("福州华章文化有限公司")
        #expect(hits.map(\.code) == ["S11", "S13"])
        #expect(hits.map(\.former) == [false, true])
        #expect(hits.map(\.match) == [.exact, .exact])
    }

    @Test func twoCharacterQueries() throws {
        let hits = try search.search("天行")
        #expect(hits.first?.code == "S01")
        #expect(Set(hits.map(\.code)) == ["S01", "S02", "S03", "S04", QueryFixture.companyC])
        #expect(hits.prefix(2).allSatisfy { $0.match == .prefix })
        #expect(try search.search("华章").map(\.code).sorted() == ["S11", "S13"])
        #expect(try search.search("鞋").map(\.code) == ["S12"])
    }

    @Test func commonSubstringWithLimit() throws {
        let hits = try search.search("有限公司", limit: 5)
        #expect(hits.count == 5)
        #expect(hits.allSatisfy { $0.matchedName.contains("有限公司") })
        let all = try search.search("有限公司", limit: 100)
        #expect(all.count == 14)
    }

    @Test func namesStayIndexedThroughChanges() throws {
        try f.registry.write { [f] db in
            try db.execute(sql: "DELETE FROM subject_name WHERE subject_code = 'S12'")
            try f.registry.addName("泉州晋江运动鞋服有限公司", of: "S12", from: nil, in: db)
        }
        #expect(try search.search("晋江鞋业").isEmpty)
        #expect(try search.search("运动鞋服").map(\.code) == ["S12"])
        try f.registry.write { db in try NameIndex.rebuild(in: db) }
        #expect(try search.search("运动鞋服").map(\.code) == ["S12"])
        #expect(try search.search("某某电子").first?.former == true)
    }

    @Test func naturalPersonsAreNotListedByName() throws {
        // Citizens are found by their ID number, never by a fragment of a name.
        #expect(try search.search("张丽").isEmpty)
        #expect(try search.search("张丽", unmask: true).isEmpty)
        #expect(try f.registry.lookup(QueryFixture.personZhang)?.name == "张丽")
    }
}
