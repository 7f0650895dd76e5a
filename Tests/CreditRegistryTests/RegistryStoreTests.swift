import CreditTestSupport
import Foundation
import GRDB
import Testing
@testable import CreditRegistry

/// Store behaviour on a real temporary SQLite file.
@Suite struct RegistryStoreTests {
    let scratch: TemporaryDirectory
    var dir: URL { scratch.url }
    let registry: Registry

    init() throws {
        scratch = try TemporaryDirectory("registry")
        registry = try Registry(path: scratch.path("credit.db"))
    }

    func d(_ s: String) -> Day { (try? Day(s)) ?? Day(ordinal: 0) }

    /// A company with a legacy registration number and organisation code, a legal
    /// representative who changed in 2018, and a list entry that ended in 2021.
    func seed() throws {
        let feed = try registry.write { db -> Int64 in
            try db.execute(sql: "INSERT INTO feed (bureau, feed_id, sequence, kind, file, digest, ingested_at) VALUES ('commerce', 'T1', 1, 'full', 't.xml', 'x', '2024-01-01')")
            return db.lastInsertedRowID
        }
        try registry.write { [registry] db in
            try registry.upsert(Subject(code: "91350100M000100Y43", kind: .enterprise, name: "福州某某科技有限公司",
                                        establishedOn: d("2010-05-01"), region: "350100"), in: db)
            try registry.addAlias(scheme: .registrationNumber, value: "350100100012345", subject: "91350100M000100Y43", in: db)
            try registry.addAlias(scheme: .organizationCode, value: "M000100Y-4", subject: "91350100M000100Y43", in: db)
            try registry.insertIfAbsent(Subject(code: "11010519491231002X", kind: .naturalPerson, name: "张丽"), in: db)
            try registry.addAlias(scheme: .residentID15, value: "110105491231002", subject: "11010519491231002X", in: db)
            try registry.insertIfAbsent(Subject(code: "350102198001010011", kind: .naturalPerson, name: "王强"), in: db)
            try registry.add(Relation(from: "91350100M000100Y43", role: .legalRepresentative, to: "350102198001010011",
                                      validFrom: d("2010-05-01")), in: db)
            try registry.endRoles(of: "91350100M000100Y43", role: .legalRepresentative, except: "11010519491231002X", on: d("2018-06-01"), in: db)
            try registry.add(Relation(from: "91350100M000100Y43", role: .legalRepresentative, to: "11010519491231002X",
                                      validFrom: d("2018-06-01")), in: db)
            let prov = Provenance(bureau: "commerce", bureauKey: "AB-1", feed: feed, line: 10)
            let entry = try registry.append(NewRecord(subjectCode: "91350100M000100Y43", kind: "abnormal_entry", provenance: prov,
                                                      effectiveFrom: d("2019-03-01"), contentHash: "h1", payload: "{}"),
                                            recordedAt: "2019-03-02T00:00:00Z", in: db)
            try registry.putListEntry(subject: "91350100M000100Y43", list: KnownList.abnormalOperations, enteredOn: d("2019-03-01"),
                                      ground: "1", reason: "未按期公示年报", authority: "福州市市场监督管理局",
                                      entryKey: "commerce:AB-1", recordID: entry, in: db)
            let exit = try registry.append(NewRecord(subjectCode: "91350100M000100Y43", kind: "abnormal_exit",
                                                     provenance: Provenance(bureau: "commerce", bureauKey: "AB-1-X", feed: feed, line: 20),
                                                     effectiveFrom: d("2021-04-01"), contentHash: "h2", payload: "{}"),
                                           recordedAt: "2021-04-02T00:00:00Z", in: db)
            try registry.exitList(subject: "91350100M000100Y43", list: KnownList.abnormalOperations, entryKey: nil,
                                  on: d("2021-04-01"), recordID: exit, in: db)
            try registry.addStatus(.revoked, of: "91350100M000100Y43", since: d("2023-01-10"), recordID: nil, in: db)
        }
    }

    @Test func lookUpByEveryIdentifier() throws {
        try seed()
        #expect(try registry.lookup("91350100M000100Y43")?.name == "福州某某科技有限公司")
        #expect(try registry.lookup("350100100012345")?.code == "91350100M000100Y43")
        #expect(try registry.lookup("M000100Y-4")?.code == "91350100M000100Y43")
        #expect(try registry.lookup("m000100y4")?.code == "91350100M000100Y43")
        #expect(try registry.lookup("９１３５０１００Ｍ０００１００Ｙ４３")?.code == "91350100M000100Y43")
        #expect(try registry.lookup("110105491231002")?.code == "11010519491231002X")
        #expect(try registry.lookup("11010519491231002x")?.name == "张丽")
        #expect(try registry.lookup("91350100M000100Y44") == nil)
    }

    @Test func aliasLookupIsOneIndexProbe() throws {
        try seed()
        let plan = try registry.read { db in
            try Row.fetchAll(db, sql: """
                EXPLAIN QUERY PLAN SELECT s.* FROM subject s WHERE s.code = ?1
                UNION ALL SELECT s.* FROM alias a JOIN subject s ON s.code = a.subject_code WHERE a.value = ?1 LIMIT 1
                """, arguments: ["X"]).map { $0["detail"] as String }.filter { $0.hasPrefix("SEARCH") || $0.hasPrefix("SCAN") }
        }
        #expect(plan.allSatisfy { $0.contains("USING") || $0.contains("PRIMARY KEY") }, "plan: \(plan)")
        #expect(!plan.contains { $0.hasPrefix("SCAN") } && plan.count == 3)
    }

    @Test func factsAsOfADate() throws {
        try seed()
        let before = try #require(try registry.facts(of: "91350100M000100Y43", asOf: d("2019-02-28")))
        #expect(!before.listEntries.contains { $0.isActive(on: d("2019-02-28")) }, "a listing that begins later is not in force")
        #expect(before.status == .active)
        #expect(before.keyPersons.filter { $0.isHeld(on: d("2019-02-28")) }.map(\.to) == ["11010519491231002X"])

        let during = try #require(try registry.facts(of: "91350100M000100Y43", asOf: d("2020-01-01")))
        #expect(during.listEntries.count == 1)
        #expect(during.listEntries[0].isActive(on: d("2020-01-01")))
        #expect(during.listEntries[0].exitedOn == d("2021-04-01"), "the published end is part of the facts on every day")

        let after = try #require(try registry.facts(of: "91350100M000100Y43", asOf: d("2022-01-01")))
        #expect(after.listEntries[0].exitedOn == d("2021-04-01"))
        #expect(!after.listEntries[0].isActive(on: d("2022-01-01")))
        #expect(after.listEntries[0].recordIDs.count == 2)

        let in2017 = try #require(try registry.facts(of: "91350100M000100Y43", asOf: d("2017-01-01")))
        #expect(in2017.keyPersons.filter { $0.isHeld(on: d("2017-01-01")) }.map(\.to) == ["350102198001010011"])
        #expect(in2017.keyPersons.first { $0.to == "350102198001010011" }?.validTo != nil, "the role's end is part of its valid time")

        let revoked = try #require(try registry.facts(of: "91350100M000100Y43", asOf: d("2024-01-01")))
        #expect(revoked.status == .revoked)
        #expect(revoked.statusSince == d("2023-01-10"))

        let person = try #require(try registry.facts(of: "11010519491231002X"))
        #expect(person.roles.map(\.from) == ["91350100M000100Y43"])
    }

    @Test func recordsAreAppendOnlyWithProvenance() throws {
        try seed()
        let recs = try registry.read { [registry] db in try registry.records(of: "91350100M000100Y43", in: db) }
        #expect(recs.map(\.kind) == ["abnormal_entry", "abnormal_exit"])
        #expect(recs[0].line == 10 && recs[0].bureauKey == "AB-1" && recs[0].bureau == "commerce")
        #expect(recs[1].effectiveFrom == d("2021-04-01"))
    }
}
