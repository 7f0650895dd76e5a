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

    /// Days other than the decision table's: the active rule set evaluated on the fly over the
    /// report's slice gives the report SQLite gives from the whole registry.
    static let otherDays = ["2019-03-01", "2024-06-30", "2025-01-01", "2028-01-01"]

    @Test(arguments: otherDays)
    func reportsOnOtherDaysAreTheSameOnBothBackends(_ day: String) async throws {
        try await onOwnThread {
            let options = ReportBuilder.Options(asOf: try Day(day), department: "sat", unmask: true, actor: "api:days")
            let sqlite = try Self.reports(.sqlite, options: options)
            let postgres = try Self.reports(.postgres, options: options)
            #expect(sqlite.reports.count == postgres.reports.count)
            for (a, b) in zip(sqlite.reports, postgres.reports) { #expect(a == b, "on \(day)") }
            #expect(sqlite.audit == postgres.audit)
        }
    }

    @Test func otherDaysShowMeasuresTheTableDoesNotHold() async throws {
        try await onOwnThread {
            // Not vacuous: on some other day the rules decide measures, and differently from the table's day.
            let table = try Self.reports(.postgres, options: .init(asOf: ReadSideFixture.day, unmask: true, actor: "api:days")).reports
            var differing = 0, withMeasures = 0
            for day in Self.otherDays {
                let reports = try Self.reports(.postgres, options: .init(asOf: try Day(day), unmask: true, actor: "api:days")).reports
                differing += zip(reports, table).filter { $0 != $1 }.count
                withMeasures += reports.filter { $0.contains("\"causes\":[{") }.count
            }
            #expect(differing > 0 && withMeasures > 0, "\(differing) reports differ from the table's day, \(withMeasures) show measures")
        }
    }
}
