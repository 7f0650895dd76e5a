import CreditOperations
import CreditRegistry
import Foundation
import GRDB
import NationalBridge
import Testing

/// Multi-list pages from the reference peer carry natural persons (by resident ID) beside
/// enterprises: each is applied once, the shipped rules fire for the persons, and look-ups
/// without the right to unmask show their IDs masked.
@Suite struct NationalPullPersonsTests {
    static let railwayPerson = "350203198503020035"
    static let debtorPerson = "350211197702280011"
    static let lists = """
        list,code,id_number,name,ground,case_number,authority,listed_on,exited_on
        railway_dishonest,,\(railwayPerson),黄某某,在动车组列车上吸烟,铁路失信〔2025〕1021号,中国国家铁路集团有限公司,2025-06-01,
        wage_arrears,91350206MA34WA0087,,厦门诚建劳务有限公司,拖欠农民工工资,厦人社失信〔2025〕3号,厦门市人力资源和社会保障局,2025-03-01,
        wage_arrears,,350206198005120032,郑某某,拖欠农民工工资（个人包工头）,厦人社失信〔2025〕4号,厦门市人力资源和社会保障局,2025-04-10,
        dishonest_debtor,,\(debtorPerson),陈某某,1,（2025）闽0211执889号,厦门市集美区人民法院,2025-03-18,
        dishonest_debtor,91350200MA31JK9B9X,,厦门鑫源建材有限公司,1,（2023）闽0211执1234号,厦门市集美区人民法院,2023-10-12,

        """
    let fixture: ExchangeFixture
    init() throws { fixture = try ExchangeFixture(lists: ["joint.csv": Self.lists]) }

    func pull(_ list: String, port: Int) async throws -> NationalListPuller.Summary {
        var p = NationalListPuller(operations: fixture.ops, identity: fixture.city, peer: fixture.nationalPeer(port: port))
        p.pageSize = 2
        return try await p.pull(list: list)
    }

    func entries() throws -> [String: Int] {
        try fixture.ops.registry.read { db in
            try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: """
                SELECT list, COUNT(*) FROM list_entry WHERE entry_key LIKE 'national:%' GROUP BY list
                """).map { ($0[0] as String, $0[1] as Int) })
        }
    }

    func measures(_ id: String) throws -> (code: String, measures: [String]) {
        let r = try #require(try fixture.ops.measures(id, viewer: Viewer(actor: "test", maySeePersonalIDs: false)))
        return (r.code, r.measures.map(\.measure))
    }

    @Test func personsAndEnterprisesFromSeveralListsAreAppliedOnceAndTheRulesFire() async throws {
        try await fixture.withPeer { port in
            for list in [KnownList.railwayDishonest, KnownList.wageArrears, KnownList.dishonestDebtor] {
                let s = try await pull(list, port: port)
                #expect(s.rejected == 0, "\(list): \(s)")
            }
            let expected = [KnownList.railwayDishonest: 1, KnownList.wageArrears: 2, KnownList.dishonestDebtor: 2]
            #expect(try entries() == expected)
            for list in [KnownList.railwayDishonest, KnownList.wageArrears, KnownList.dishonestDebtor] {
                #expect(try await pull(list, port: port).rows == 0, "\(list) pulled again brings nothing")
            }
            #expect(try entries() == expected, "nothing applied twice")
        }
        let railway = try measures(Self.railwayPerson)
        #expect(railway.measures.contains("tr_rail_ban"), "\(railway)")
        #expect(railway.code != Self.railwayPerson && railway.code.contains("*"), "masked: \(railway.code)")
        let debtor = try measures(Self.debtorPerson)
        #expect(debtor.measures.contains { $0.hasPrefix("dd_") }, "\(debtor)")
        #expect(!debtor.code.contains(Self.debtorPerson))
        #expect(try measures("91350206MA34WA0087").measures.contains { $0.hasPrefix("wa_") })
        #expect(try fixture.produced().allSatisfy { !$0.payload.contains("national:") }, "nothing pulled is sent back")
    }
}
