import CreditOperations
import Logging

/// Signs audit checkpoints for a running service: every `interval` while entries were appended
/// since the last one (so a quiet service still anchors its last look-ups), and once more when
/// the service stops.
///
/// ```swift
/// try await withThrowingTaskGroup(of: Void.self) { group in
///     group.addTask { try await app.runService() }
///     group.addTask { await AuditCheckpointer(operations: ops, logger: logger).run(every: .seconds(60)) }
///     try await group.next(); group.cancelAll()
/// }
/// ```
public struct AuditCheckpointer: Sendable {
    let operations: CreditOperations
    let logger: Logger

    public init(operations: CreditOperations, logger: Logger = Logger(label: "credit.service")) {
        self.operations = operations
        self.logger = logger
    }

    /// Checkpoints every `interval` until cancelled, then one last time.
    public func run(every interval: Duration) async {
        while (try? await Task.sleep(for: interval)) != nil {
            await checkpoint()
        }
        // This task is cancelled now, and the pool refuses work from a cancelled task: the last
        // checkpoint runs in a task of its own.
        await Task.detached { await self.checkpoint() }.value
    }

    /// One checkpoint on the look-up pool, logged if it fails.
    public func checkpoint() async {
        let operations = self.operations
        do {
            if let c = try await ServicePools.shared.lookups.run({ try operations.checkpointAudit() }) {
                logger.debug("audit checkpoint", metadata: ["number": "\(c.number)", "count": "\(c.count)"])
            }
        } catch {
            logger.error("audit checkpoint not written", metadata: ["error": "\(error)"])
        }
    }
}
