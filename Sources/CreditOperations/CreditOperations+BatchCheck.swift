import CreditQuery
import CreditRegistry
import Decisions
import Foundation
import Logging

extension CreditOperations {
    /// The bank batch check from a file descriptor to a file descriptor (streamed, any size):
    /// one verdict per row in input order, judged as of `options.asOf` (default today), from the
    /// materialised decisions when they are of that day, else the active rules. Audited.
    public func batchCheck(input: Int32, output: Int32, options: BatchChecker.Options, viewer: Viewer,
                           progress: (@Sendable (BatchChecker.Progress) -> Void)? = nil) throws -> BatchChecker.Summary {
        let (checker, options) = try checker(options, viewer: viewer)
        let summary: BatchChecker.Summary
        do { summary = try checker.run(input: input, output: output, options: options, progress: progress) } catch let e as BatchError {
            throw OperationError.badBatchInput(e.description)
        }
        try audit(summary, viewer: viewer)
        return summary
    }

    /// ``batchCheck(input:output:options:viewer:progress:)`` over bytes in memory.
    public func batchCheck(input: [UInt8], options: BatchChecker.Options, viewer: Viewer) throws -> (output: [UInt8], summary: BatchChecker.Summary) {
        let (checker, options) = try checker(options, viewer: viewer)
        let result: (output: [UInt8], summary: BatchChecker.Summary)
        do { result = try checker.run(input: input, options: options) } catch let e as BatchError {
            throw OperationError.badBatchInput(e.description)
        }
        try audit(result.summary, viewer: viewer)
        return result
    }

    private func checker(_ options: BatchChecker.Options, viewer: Viewer) throws -> (BatchChecker, BatchChecker.Options) {
        var options = options
        // Verdicts go to financial institutions unless the account's role may see persons' measures.
        options.persons = viewer.role?.maySeePersonalMeasures == true ? .full : .financial
        if let slices {
            options.asOf = day(options.asOf)
            var checker = BatchChecker(registry: registry)
            checker.slices = slices
            return (checker, options)
        }
        let provider = try activeRules.provider()
        // Today's check reads the materialised table (its fast path, refreshed daily); another
        // day reads it only when it was materialised for that day, else evaluates the rules.
        let decisions: any DecisionProvider = options.asOf.map { provider.usesTable(for: $0) } ?? true ? TableDecisionProvider() : provider
        options.asOf = day(options.asOf)
        return (BatchChecker(registry: registry, decisions: decisions), options)
    }

    private func audit(_ s: BatchChecker.Summary, viewer: Viewer) throws {
        try recordAudit([AuditLog.Pending(actor: viewer.actor, action: "check", subject: nil,
                                          detail: viewer.rolePrefix + "batch as-of \(s.asOf): \(s.rows) rows, \(s.found) found, \(s.flagged) flagged")])
        logger.info("batch checked", metadata: ["actor": "\(viewer.actor)", "rows": "\(s.rows)", "flagged": "\(s.flagged)",
                                                "seconds": "\(s.seconds)"])
    }
}
