import CreditOperations
import CreditRegistry
import Foundation
import GRDB
import NationalBridge
import Testing

/// National list pages pulled from the reference peer become list entries with provenance
/// `national` through the national-list import, once, and the shipped rules fire on them.
@Suite struct NationalPullTests {
    static let debtors = """
        code,name,ground,case_number,court,listed_on,exited_on
        91350200MA31JK9B9X,厦门鑫源建材有限公司,1,（2023）闽0211执1234号,厦门市集美区人民法院,2023-10-12,
        91350200MA32LM4C2D,厦门宏图物流有限公司,3,（2024）闽0205执567号,厦门市海沧区人民法院,2024-06-03,
        91350200MA33NP5D74,厦门盛世餐饮管理有限公司,2,（2021）闽0203执890号,厦门市思明区人民法院,2021-09-15,2023-09-15

        """
    let fixture: ExchangeFixture
    init() throws { fixture = try ExchangeFixture(lists: ["debtors.csv": Self.debtors]) }

    func puller(port: Int) -> NationalListPuller {
        var p = NationalListPuller(operations: fixture.ops, identity: fixture.city, peer: fixture.nationalPeer(port: port))
        p.pageSize = 2
        return p
    }

    func nationalEntries() throws -> Int {
        try fixture.ops.registry.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM list_entry WHERE entry_key LIKE 'national:%'")! }
    }

    @Test func pagesCreateEntriesOnceAndTheRulesFire() async throws {
        try await fixture.withPeer { port in
            let summary = try await puller(port: port).pull(list: "dishonest_debtor")
            #expect(summary.pages == 2 && summary.rows == 3 && summary.rejected == 0 && summary.cursor == "3")
            let entries = try nationalEntries()
            #expect(entries == 3)
            let cursor = try fixture.ops.nationalCursor(peer: "national", list: "dishonest_debtor")
            #expect(cursor.cursor == "3" && cursor.complete && cursor.pages == 2)

            // Pulled again: the peer serves the (empty) rest of the list, nothing is applied twice.
            let again = try await puller(port: port).pull(list: "dishonest_debtor")
            let entriesAfter = try nationalEntries()
            #expect(again.rows == 0 && entriesAfter == 3)
        }
        // The shipped dishonest-debtor memorandum fires on the pulled entry.
        let measures = try #require(try fixture.ops.measures("91350200MA31JK9B9X", viewer: Viewer(actor: "test", maySeePersonalIDs: true)))
        #expect(!measures.measures.isEmpty)
        // Nothing pulled is sent back to the platform.
        #expect(try fixture.produced().allSatisfy { !$0.payload.contains("national:") })
    }

    @Test func aPageWithABadSignatureIsNotApplied() async throws {
        var faults = PeerFaults()
        faults.badSignature = true
        try await fixture.withPeer(faults: faults) { port in
            await #expect(throws: NationalListPuller.PageRefused.self) { try await puller(port: port).pull(list: "dishonest_debtor") }
            let entries = try nationalEntries()
            let cursor = try fixture.ops.nationalCursor(peer: "national", list: "dishonest_debtor").cursor
            #expect(entries == 0 && cursor == "0")
        }
    }
}
