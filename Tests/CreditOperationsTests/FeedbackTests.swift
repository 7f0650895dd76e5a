import CreditTestSupport
import CreditOperations
import CreditQuery
import CreditRegistry
import Foundation
import GRDB
import NationalBridge
import Testing

/// Feedback of joint punishment: checked against the measures in force and their departments,
/// append-only, audited, shown in reports, and queued for the national platform in the same
/// transaction; bureau feeds' list changes are queued with their feed.
@Suite final class FeedbackTests {
    static let samples = Support.rulesDir.deletingLastPathComponent().appendingPathComponent("samples")
    let scratch: TemporaryDirectory
    let ops: CreditOperations
    /// A measure in force: subject, measure, department, from.
    let decision: (subject: String, measure: String, department: String, from: Day)

    init() throws {
        scratch = try TemporaryDirectory("feedback")
        ops = try CreditOperations.open(path: scratch.path("credit.db"), clock: .fixed(Support.day("2025-07-10")))
        for f in ["feeds/commerce-0001-full.xml", "feeds/commerce-0002-delta.xml", "feeds/tax-0001-full.xml"] {
            #expect(try ops.ingestFeed(path: Self.samples.appendingPathComponent(f).path).report.outcome == .ingested)
        }
        _ = try ops.activateRules(paths: [Support.rulesDir.path], author: "test")
        let row = try #require(try ops.registry.read { db in
            try Row.fetchOne(db, sql: "SELECT subject_code, measure, department, valid_from FROM decision WHERE valid_from <= '2025-07-10' AND via_code IS NULL ORDER BY subject_code, measure LIMIT 1")
                .map { [$0[0], $0[1], $0[2], $0[3]] as [String] }
        })
        decision = (row[0], row[1], row[2], Support.day(row[3]))
    }

    func request(department: String? = nil, measure: String? = nil, on day: Day? = nil, case number: String = "厦财采〔2025〕12号") -> FeedbackRequest {
        FeedbackRequest(subject: decision.subject, measure: measure ?? decision.measure, department: department ?? decision.department,
                        caseNumber: number, appliedOn: day ?? Support.day("2025-07-09"), officer: "test:officer-07")
    }

    func outbox() throws -> [OutboxMessage] { try ops.registry.read { db in try Outbox().all(in: db) } }

    @Test func recordedFeedbackIsAuditedQueuedAndShownInTheReport() throws {
        let before = try outbox().count
        let stored = try ops.recordFeedback(request())
        #expect(stored.subjectCode == decision.subject && stored.department == decision.department)

        let queued = try outbox()
        #expect(queued.count == before + 1)
        let message = try #require(queued.last)
        #expect(message.kind == .measureFeedback && message.subjectCode == decision.subject)
        let payload = try ExchangePayload.decode(ExchangePayload.MeasureFeedback.self, from: message.payload)
        #expect(payload.feedbackId == stored.id && payload.caseNumber == "厦财采〔2025〕12号" && payload.appliedOn == "2025-07-09")

        let audit = try #require(try ops.auditEntries(subject: decision.subject, limit: 10))
        #expect(audit.contains { $0.action == "feedback" && $0.actor == "test:officer-07" && $0.detail.contains(decision.measure) })

        let report = try #require(try ops.report(decision.subject, options: .init(actor: "test")))
        let measure = try #require(report.measures.first { $0.measure == decision.measure && $0.department == decision.department })
        #expect(measure.applied == [SubjectReport.Application(department: decision.department, appliedOn: Support.day("2025-07-09"),
                                                              caseNumber: "厦财采〔2025〕12号", officer: "test:officer-07")])
        // A report of a day before the feedback does not show it.
        let earlier = try #require(try ops.report(decision.subject, options: .init(asOf: decision.from, actor: "test")))
        #expect(earlier.measures.allSatisfy { $0.applied.isEmpty })
    }

    @Test func refusalsStoreAndQueueNothing() throws {
        let before = try outbox().count
        #expect(throws: FeedbackError.wrongDepartment(measure: decision.measure, department: "no-such-dept", owner: decision.department)) {
            try self.ops.recordFeedback(self.request(department: "no-such-dept"))
        }
        #expect(throws: FeedbackError.measureNotApplicable(measure: "no_such_measure", subject: decision.subject, on: Support.day("2025-07-09"))) {
            try self.ops.recordFeedback(self.request(measure: "no_such_measure"))
        }
        let dayBefore = decision.from.adding(days: -1)
        #expect(throws: FeedbackError.measureNotApplicable(measure: decision.measure, subject: decision.subject, on: dayBefore)) {
            try self.ops.recordFeedback(self.request(on: dayBefore))
        }
        #expect(throws: FeedbackError.appliedInFuture(Support.day("2025-07-11"), today: Support.day("2025-07-10"))) {
            try self.ops.recordFeedback(self.request(on: Support.day("2025-07-11")))
        }
        #expect(throws: FeedbackError.emptyCaseNumber) { try self.ops.recordFeedback(self.request(case: "  ")) }
        var unknown = request()
        unknown.subject = "91350200MA0000000X"
        #expect(throws: FeedbackError.unknownSubject("91350200MA0000000X")) { try self.ops.recordFeedback(unknown) }
        #expect(try outbox().count == before)
        #expect(try ops.feedback(of: decision.subject) == [])
    }

    @Test func feedbackIsAppendOnly() throws {
        _ = try ops.recordFeedback(request())
        #expect(throws: (any Error).self) { try self.ops.registry.write { db in try db.execute(sql: "UPDATE feedback SET case_number = 'x'") } }
        #expect(throws: (any Error).self) { try self.ops.registry.write { db in try db.execute(sql: "DELETE FROM feedback") } }
        #expect(try ops.feedback(of: decision.subject)?.count == 1)
    }

    @Test func bureauListChangesAreQueuedWithTheirFeedInOrder() throws {
        let messages = try outbox().filter { $0.kind == .listEntry || $0.kind == .listExit }
        let entries = try ops.registry.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM list_entry")! }
        let exits = try ops.registry.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM list_entry WHERE exited_on IS NOT NULL")! }
        #expect(entries > 0)
        #expect(messages.filter { $0.kind == .listEntry }.count >= entries)
        #expect(messages.filter { $0.kind == .listExit }.count == exits)
        #expect(messages.map(\.sequence) == messages.map(\.sequence).sorted())
        // Per reference, the entry precedes its exit.
        var seen: Set<String> = []
        for m in messages {
            if m.kind == .listEntry { seen.insert(try ExchangePayload.decode(ExchangePayload.ListEntry.self, from: m.payload).reference) }
            else { #expect(seen.contains(try ExchangePayload.decode(ExchangePayload.ListExit.self, from: m.payload).reference)) }
        }
        // A national list is not sent back.
        let before = try outbox().count
        _ = try NationalBridge(operations: ops).importDishonestDebtors(path: Self.samples.appendingPathComponent("national/dishonest-debtors.csv").path)
        #expect(try outbox().count == before)
    }
}
