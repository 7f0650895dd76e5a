import CreditOperations
import CreditQuery
import CreditRegistry
import CreditTestSupport
import Foundation
import PostgresStore
import Testing

/// The credit report on PostgreSQL is the report on SQLite: every subject of the demo registry,
/// by code and by alias, masked and unmasked, for a department, with the same audit entries.
@Suite(.serialized)
struct ReportOnPostgresTests {
    /// Every subject's report, one JSON line each, and the audit entries the look-ups return.
    static func reports(_ backend: Backend, options: ReportBuilder.Options) throws -> (reports: [String], audit: [AuditLog.Pending]) {
        let fixture = try ReadSideFixture.shared.get()
        let ops = try fixture.operations(backend)
        var reports: [String] = [], audit: [AuditLog.Pending] = []
        for id in fixture.codes + fixture.aliases + ["91350100M000100Y43", "350203198001010000", "not a code"] {
            let (report, entries) = try ops.lookUpReport(id, options: options)
            reports.append(id + " " + (try report.map(canonicalJSON) ?? "not found"))
            audit += entries
        }
        return (reports, audit)
    }

    static let cases: [ReportBuilder.Options] = [
        .init(actor: "cli:test"),
        .init(department: "sat", unmask: true, actor: "api:alice"),
        .init(asOf: try! Day("2026-11-30"), department: "市场监督管理局", actor: "api:bob"),
    ]

    @Test(arguments: cases)
    func reportsAreTheSameOnBothBackends(_ options: ReportBuilder.Options) async throws {
        try await onOwnThread {
            let sqlite = try Self.reports(.sqlite, options: options)
            let postgres = try Self.reports(.postgres, options: options)
            #expect(sqlite.reports.count == postgres.reports.count)
            for (a, b) in zip(sqlite.reports, postgres.reports) { #expect(a == b) }
            #expect(sqlite.audit == postgres.audit)
            // The cases are not vacuous: reports with causes, history, feedback and relations.
            let all = sqlite.reports.joined(separator: "\n")
            for part in ["\"causes\":[{", "\"statusHistory\":[{", "\"applied\":[{", "\"keyPersons\":[{", "\"penalties\":[{", "not found"] {
                #expect(all.contains(part), "no report shows \(part)")
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func anUnmaskedReportIsAuditedTwice(_ backend: Backend) async throws {
        try await onOwnThread {
            let fixture = try ReadSideFixture.shared.get()
            let ops = try fixture.operations(backend)
            let person = try #require(fixture.codes.first { IdentityMask.looksLikeResidentID($0) })
            let actor = "api:unmask-\(backend.rawValue)"
            let masked = try #require(try ops.report(person, options: .init(actor: actor)))
            #expect(masked.identity.code == IdentityMask.residentID(person))
            let shown = try #require(try ops.report(person, options: .init(unmask: true, actor: actor)))
            #expect(shown.identity.code == person)
            let entries = try ops.auditTrail.entries(subject: person, limit: 10).filter { $0.actor == actor }
            #expect(entries.map(\.action) == ["lookup", "lookup", "unmask"])
            #expect(entries.allSatisfy { $0.subject == person })
            #expect(try ops.verifyAudit().problems.isEmpty)
        }
    }

    @Test func aDayTheDecisionTableDoesNotHoldIsRefusedOnPostgres() async throws {
        try await onOwnThread {
            let fixture = try ReadSideFixture.shared.get()
            let ops = try fixture.operations(.postgres)
            let error = #expect(throws: PostgresStoreError.self) {
                try ops.lookUpReport(fixture.withFeedback, options: .init(asOf: try Day("2025-01-01"), actor: "cli:test"))
            }
            guard case .notPorted(let what)? = error else { Issue.record("\(String(describing: error))"); return }
            #expect(what.contains("2025-01-01"))
        }
    }
}
