import CreditTestSupport
import Foundation
import GRDB
import CreditQuery
@testable import CreditRegistry
import CreditSamples
import Decisions
import FeedIngest

/// A small registry on a temporary file for the query tests: companies with legacy
/// identifiers, former names, key persons, list entries with provenance and decisions.
struct QueryFixture {
    static let companyA = "91350100M000100Y43"      // 福州某某科技有限公司, formerly 福州某某电子有限公司
    static let companyB = "91350100350100124L"      // 福州海峡贸易（集团）有限公司
    static let companyC = "91350100110105882H"      // 北京天行科技有限公司
    static let personZhang = "11010519491231002X"   // 张丽, legal representative of A since 2018-06-01
    static let personWang = "350102198001010011"    // 王强, legal representative of A until 2018-06-01
    static let unknownValid = "91350100440300779R"  // valid check digit, not registered

    let scratch: TemporaryDirectory
    var dir: URL { scratch.url }
    let registry: Registry
    /// The audit log beside the registry's file.
    let audit: AuditLog
    var entryRecord: Int64 = 0
    var penaltyRecord: Int64 = 0

    static func d(_ s: String) -> Day { (try? Day(s)) ?? Day(ordinal: 0) }

    init() throws {
        scratch = try TemporaryDirectory("query")
        registry = try Registry(path: scratch.path("credit.db"))
        try DecisionSchema.migrate(registry)
        audit = try AuditLog.open(beside: registry)
        let registry = self.registry
        let d = Self.d
        let ids = try registry.write { db -> [Int64] in
            try db.execute(sql: """
                INSERT INTO feed (bureau, feed_id, sequence, kind, file, digest, ingested_at)
                VALUES ('commerce', 'SCJG-2019-0301', 1, 'delta', 'scjg-20190301.xml', 'x', '2019-03-02')
                """)
            let feed = db.lastInsertedRowID
            try registry.upsert(Subject(code: Self.companyA, kind: .enterprise, name: "福州某某电子有限公司",
                                        establishedOn: d("2010-05-01"), region: "350100", authority: "福州市市场监督管理局"), in: db)
            try registry.addName("福州某某电子有限公司", of: Self.companyA, from: d("2010-05-01"), to: d("2015-01-01"), in: db)
            try registry.upsert(Subject(code: Self.companyA, kind: .enterprise, name: "福州某某科技有限公司",
                                        establishedOn: d("2015-01-01"), region: "350100", authority: "福州市市场监督管理局"), in: db)
            try registry.addAlias(scheme: .registrationNumber, value: "350100100012345", subject: Self.companyA, in: db)
            try registry.addAlias(scheme: .organizationCode, value: "M000100Y-4", subject: Self.companyA, in: db)
            try registry.addStatus(.active, of: Self.companyA, since: d("2010-05-01"), recordID: nil, in: db)
            try registry.insertIfAbsent(Subject(code: Self.personZhang, kind: .naturalPerson, name: "张丽"), in: db)
            try registry.addAlias(scheme: .residentID15, value: "110105491231002", subject: Self.personZhang, in: db)
            try registry.insertIfAbsent(Subject(code: Self.personWang, kind: .naturalPerson, name: "王强"), in: db)
            try registry.add(Relation(from: Self.companyA, role: .legalRepresentative, to: Self.personWang, validFrom: d("2010-05-01")), in: db)
            try registry.endRoles(of: Self.companyA, role: .legalRepresentative, except: Self.personZhang, on: d("2018-06-01"), in: db)
            try registry.add(Relation(from: Self.companyA, role: .legalRepresentative, to: Self.personZhang, validFrom: d("2018-06-01")), in: db)
            try registry.add(Relation(from: Self.companyA, role: .financeChief, to: Self.personWang, validFrom: d("2018-06-01")), in: db)

            let entry = try registry.append(NewRecord(subjectCode: Self.companyA, kind: "list_entry",
                                                      provenance: Provenance(bureau: "court", bureauKey: "SX-1", feed: feed, line: 42,
                                                                             documentNumber: "（2021）闽01执123号"),
                                                      effectiveFrom: d("2022-01-01"), contentHash: "h1", payload: "{}"),
                                            recordedAt: "2022-01-02T00:00:00Z", in: db)
            try registry.putListEntry(subject: Self.companyA, list: KnownList.dishonestDebtor, enteredOn: d("2022-01-01"), ground: "2",
                                      reason: "有履行能力而拒不履行", authority: "福州市中级人民法院", entryKey: "court:SX-1", recordID: entry, in: db)
            let pen = try registry.append(NewRecord(subjectCode: Self.companyA, kind: "penalty",
                                                    provenance: Provenance(bureau: "commerce", bureauKey: "CF-9", feed: feed, line: 7,
                                                                           documentNumber: "榕市监罚〔2021〕88号"),
                                                    effectiveFrom: d("2021-05-01"), contentHash: "h2", payload: "{}"),
                                          recordedAt: "2021-05-02T00:00:00Z", in: db)
            try registry.putPenalty(PenaltyFact(documentNumber: "榕市监罚〔2021〕88号", decidedOn: d("2021-05-01"), types: ["警告", "罚款"],
                                                fineMicroWan: 5_000_000, severity: .serious, authority: "福州市市场监督管理局", recordID: pen),
                                    subject: Self.companyA, recordKey: "commerce:CF-9", in: db)

            try registry.upsert(Subject(code: Self.companyB, kind: .enterprise, name: "福州海峡贸易（集团）有限公司", region: "350100"), in: db)
            try registry.upsert(Subject(code: Self.companyC, kind: .enterprise, name: "北京天行科技有限公司", region: "110105"), in: db)
            return [entry, pen]
        }
        entryRecord = ids[0]
        penaltyRecord = ids[1]
        try addDecision(code: Self.companyA, measure: "TAX-01", kind: "punishment", department: "tax", departmentName: "税务局",
                        from: "2022-01-01", until: "2025-01-01", financial: false, causes: [entryRecord])
        try addDecision(code: Self.companyA, measure: "FIN-03", kind: "punishment", department: "pboc", departmentName: "中国人民银行",
                        from: "2022-01-01", until: nil, financial: true, causes: [entryRecord, penaltyRecord])
        try addDecision(code: Self.companyA, measure: "GREEN-1", kind: "incentive", department: "commerce", departmentName: "商务局",
                        from: "2018-01-01", until: "2020-01-01", financial: false, causes: [])
        try addDecision(code: Self.personZhang, measure: "TRAVEL-1", kind: "punishment", department: "transport", departmentName: "交通运输局",
                        from: "2022-01-01", until: nil, financial: false, causes: [entryRecord], via: Self.companyA, role: "legal_representative")
    }

    func addDecision(code: String, measure: String, kind: String, department: String, departmentName: String, from: String,
                     until: String?, financial: Bool, causes: [Int64], via: String? = nil, role: String? = nil) throws {
        try registry.write { db in
            try db.execute(sql: """
                INSERT INTO decision (subject_code, measure, rule, memorandum, kind, category, department, department_name, basis, text,
                    valid_from, valid_until, financial, via_code, via_role, caused_by, ruleset_version, evaluated_on)
                VALUES (?, ?, 'rule-\(measure)', '发改财金〔2016〕141号', ?, 'administrative', ?, ?, '《失信被执行人联合惩戒备忘录》第一条',
                    '限制' || ?, ?, ?, ?, ?, ?, ?, 'v1', '2024-01-01')
                """, arguments: [code, measure, kind, department, departmentName, measure, from, until, financial ? 1 : 0, via, role,
                                 "[" + causes.map(String.init).joined(separator: ",") + "]"])
        }
    }

    /// Adds companies by name (valid-looking codes are not needed for search).
    func addCompanies(_ names: [(code: String, name: String)]) throws {
        let registry = self.registry
        try registry.write { db in
            for (code, name) in names { try registry.upsert(Subject(code: code, kind: .enterprise, name: name), in: db) }
        }
    }
}
