import CreditTestSupport
import CreditOperations
import CreditRegistry
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CreditService

/// The boundaries of docs/roles.md, each on a live server over the sample registry.
/// On SQLite and on PostgreSQL.
extension ServiceTests {
    @Test(arguments: TestBackend.allCases) func bearerSchemeIsCaseInsensitiveAndRefusalsAreProblems(_ backend: TestBackend) async throws {
        let s = try ServiceSample(backend)
        try await s.app().test(.live) { client in
            for scheme in ["Bearer", "bearer", "BEARER"] {
                let r = try await client.execute(uri: "/v1/rules", method: .get, headers: [.authorization: "\(scheme) \(Self.operatorToken)"]) { Int($0.status.code) }
                #expect(r == 200, "scheme \(scheme)")
            }
            let refused = try await client.execute(uri: "/v1/rules", method: .get, headers: [.authorization: "Basic \(Self.operatorToken)"]) { $0 }
            #expect(refused.status == .unauthorized)
            #expect(refused.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            #expect(json(String(buffer: refused.body))["code"] as? String == "unauthenticated")
        }
    }

    @Test(arguments: TestBackend.allCases) func revokedAndRotatedTokensStopWorking(_ backend: TestBackend) async throws {
        let s = try ServiceSample(backend)
        let issued = try s.operations.addAccount(Account(name: "auditor-1", role: .auditor), actor: "cli:admin")
        try await s.app().test(.live) { client in
            let r1 = try await get(client, "/v1/rules", token: issued.token)

            #expect(r1.status == 200)
            let rotated = try s.operations.rotateAccount(named: "auditor-1", actor: "cli:admin")
            let r2 = try await get(client, "/v1/rules", token: issued.token)

            #expect(r2.status == 401, "the old token is dead")
            let r3 = try await get(client, "/v1/rules", token: rotated.token)

            #expect(r3.status == 200)
            try s.operations.revokeAccount(named: "auditor-1", actor: "cli:admin")
            let r4 = try await get(client, "/v1/rules", token: rotated.token)

            #expect(r4.status == 401, "revoked")
        }
        let changes = try s.auditEntries(limit: 50).filter { $0.action == "account" }
        #expect(changes.map(\.detail) == ["import officer-07 role officer department sat", "import bank-3 role bank", "import op-1 role operator",
                                          "add auditor-1 role auditor", "rotate auditor-1 role auditor", "revoke auditor-1 role auditor"])
        #expect(changes.dropFirst(3).allSatisfy { $0.actor == "cli:admin" })
    }

    @Test(arguments: TestBackend.allCases) func aCachedTokenIsTrustedOnlyForTheCachesTime(_ backend: TestBackend) throws {
        let s = try ServiceSample(backend)
        let issued = try s.operations.addAccount(Account(name: "bank-9", role: .bank), actor: "test")
        let cached = TokenStore(accounts: s.operations, ttl: .seconds(3600))
        let uncached = TokenStore(accounts: s.operations, ttl: .zero)
        let before = try cached.caller(token: issued.token)
        #expect(before?.name == "bank-9")
        try s.operations.revokeAccount(named: "bank-9", actor: "test")
        let within = try cached.caller(token: issued.token)
        let after = try uncached.caller(token: issued.token)
        #expect(within?.name == "bank-9", "within its time the cache answers")
        #expect(after == nil, "after it, the revocation is seen")
    }

    @Test(arguments: TestBackend.allCases) func everyLookUpSearchAndCheckIsAuditedWithActorRoleSubjectAndCount(_ backend: TestBackend) async throws {
        let s = try ServiceSample(backend)
        try await s.app().test(.live) { client in
            let r5 = try await get(client, "/v1/subjects/91350200MA2XH1K70Y", token: Self.officer)

            #expect(r5.status == 200)
            let r6 = try await get(client, "/v1/subjects/91350200MA2XH1K70Y/measures", token: Self.officer)

            #expect(r6.status == 200)
            let q = "华兴".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!
            let r7 = try await get(client, "/v1/search?q=\(q)", token: Self.operatorToken)

            #expect(r7.status == 200)
            let r8 = try await post(client, "/v1/check", token: Self.bank, body: "code\n91350200MA2XH1K70Y\n91350100M000100Y43\n")

            #expect(r8.status == 200)
        }
        let entries = try s.auditEntries(limit: 50)
        let report = entries.first { $0.action == "lookup" && $0.detail.contains("report") }
        #expect(report?.actor == "api:officer-07" && report?.subject == "91350200MA2XH1K70Y" && report?.detail.hasPrefix("role officer; ") == true)
        let measures = entries.first { $0.action == "lookup" && $0.detail.contains("measures") }
        #expect(measures?.actor == "api:officer-07" && measures?.subject == "91350200MA2XH1K70Y" && measures?.detail.hasPrefix("role officer; ") == true)
        let search = entries.first { $0.action == "search" }
        #expect(search?.actor == "api:op-1" && search?.detail.hasPrefix("role operator; ") == true)
        #expect(search?.detail.contains("91350200MA2XH1K70Y") == true && search?.detail.contains("hits") == true, "\(search?.detail ?? "")")
        let check = entries.first { $0.action == "check" }
        #expect(check?.actor == "api:bank-3" && check?.detail.hasPrefix("role bank; ") == true && check?.detail.contains("2 rows, 1 found") == true)
    }

    @Test(arguments: TestBackend.allCases) func measuresMaskResidentIDsUnlessAnAllowedRoleAsksAndTheUnmaskingIsAudited(_ backend: TestBackend) async throws {
        let s = try ServiceSample(backend)
        let auditor = try s.operations.addAccount(Account(name: "auditor-2", role: .auditor), actor: "test")
        try await s.app().test(.live) { client in
            let masked = try await get(client, "/v1/subjects/350221197203140316/measures", token: auditor.token)
            #expect(masked.status == 200 && json(masked.body)["code"] as? String == "350221********0316")
            let shown = try await get(client, "/v1/subjects/350221197203140316/measures?unmask=true", token: auditor.token)
            #expect(json(shown.body)["code"] as? String == "350221197203140316")
            let bank = try await get(client, "/v1/subjects/350221197203140316/measures?unmask=true", token: Self.bank)
            #expect(bank.status == 403 && json(bank.body)["code"] as? String == "forbidden")
            let report = try await get(client, "/v1/subjects/350221197203140316?unmask=true", token: Self.operatorToken)
            #expect(report.status == 403)
        }
        let unmasks = try s.auditEntries(limit: 50).filter { $0.action == "unmask" }
        #expect(unmasks.count == 1 && unmasks.first?.actor == "api:auditor-2" && unmasks.first?.subject == "350221197203140316")
    }

    @Test(arguments: TestBackend.allCases) func banksGetFinancialMeasuresOfPersonsAndNoNameConfirmation(_ backend: TestBackend) async throws {
        let s = try ServiceSample(backend)
        let admin = try s.operations.addAccount(Account(name: "admin-1", role: .administrator), actor: "test")
        let id = "350221197203140316"
        try await s.app().test(.live) { client in
            // The person's measures as an officer sees them: some concern banks, some do not.
            let all = json(try await get(client, "/v1/subjects/\(id)/measures", token: Self.officer).body)["measures"] as? [[String: Any]] ?? []
            let financial = Set(all.filter { $0["financial"] as? Bool == true }.compactMap { $0["measure"] as? String })
            let other = Set(all.filter { $0["financial"] as? Bool != true }.compactMap { $0["measure"] as? String })
            #expect(!other.isEmpty, "the sample person has measures that do not concern banks")

            let right = try await post(client, "/v1/check", token: Self.bank, body: "code,name\n\(id),陈建国\n")
            let wrong = try await post(client, "/v1/check", token: Self.bank, body: "code,name\n\(id),李四\n")
            let r = json(right.body), w = json(wrong.body)
            #expect(right.status == 200 && r["found"] as? Bool == true)
            #expect(r["code"] as? String == "350221********0316", "no personal ID number")
            #expect(r["registered_name"] == nil || r["registered_name"] is NSNull, "no name, not even the surname")
            #expect(r["name_match"] == nil || r["name_match"] is NSNull, "no confirmation of the name")
            #expect(r["flagged"] as? Bool == w["flagged"] as? Bool, "a right and a wrong name give the same verdict")
            let punishments = Set(r["punishments"] as? [String] ?? [])
            #expect(punishments.isDisjoint(with: other) && punishments.isSubset(of: financial), "\(punishments)")

            // An administrator's check shows the person in full (masked ID, surname, comparison, every measure).
            let full = json(try await post(client, "/v1/check", token: admin.token, body: "code,name\n\(id),陈建国\n").body)
            #expect(full["registered_name"] as? String == "陈**" && full["name_match"] as? String == "exact")
            #expect(!Set(full["punishments"] as? [String] ?? []).isDisjoint(with: other))
            #expect(full["lists"] as? [String] == r["lists"] as? [String], "public list memberships are the same for banks")
        }
    }

    @Test(arguments: TestBackend.allCases) func anOfficersDepartmentComesFromTheAccount(_ backend: TestBackend) async throws {
        let s = try ServiceSample(backend)
        let admin = try s.operations.addAccount(Account(name: "admin-2", role: .administrator), actor: "test")
        try await s.app().test(.live) { client in
            let officer = json(try await get(client, "/v1/subjects/91350200MA2XH1K70Y?department=samr", token: Self.officer).body)
            #expect(officer["department"] as? String == "sat", "the query cannot change an officer's department")
            let chosen = json(try await get(client, "/v1/subjects/91350200MA2XH1K70Y?department=samr", token: admin.token).body)
            #expect(chosen["department"] as? String == "samr", "an administrator may choose")
        }
        let entries = try s.auditEntries(limit: 20).filter { $0.actor == "api:officer-07" }
        #expect(entries.contains { $0.detail.contains("department sat") } && !entries.contains { $0.detail.contains("samr") })
    }
}
