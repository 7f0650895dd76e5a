import CreditOperations
import CreditRegistry

/// Group commit for the audit log: concurrent requests hand over their entries and wait until
/// they are committed; entries arriving while a batch is being written go into the next
/// transaction. Every look-up is still audited before it is answered, at the cost of one commit
/// per batch instead of one per look-up. The commit itself runs on the blocking pool, so the
/// actor never holds a cooperative thread during I/O.
actor AuditBatcher {
    private let operations: CreditOperations
    private let pool: BlockingPool
    private var pending: [(entries: [AuditLog.Pending], done: @Sendable (Result<Void, any Error>) -> Void)] = []
    private var flushing = false

    init(operations: CreditOperations, pool: BlockingPool) {
        self.operations = operations
        self.pool = pool
    }

    /// Writes `entries` (in order, chained) and returns once they are committed. A cancelled
    /// caller stops waiting at once; its entries, once handed over, are still written.
    func record(_ entries: [AuditLog.Pending]) async throws {
        try await CancellableWait.result { done in
            pending.append((entries, done))
            operations.metrics.auditQueued(entries.count)
            if !flushing {
                flushing = true
                Task { await self.flush() }
            }
        }
    }

    private func flush() async {
        while !pending.isEmpty {
            await Task.yield()   // let concurrent callers join this batch
            let batch = pending
            pending = []
            let entries = batch.flatMap(\.entries)
            let operations = self.operations
            do {
                try await pool.run { try operations.recordAudit(entries) }
                operations.metrics.auditDequeued(entries.count)
                batch.forEach { $0.done(.success(())) }
            } catch {
                operations.metrics.auditDequeued(entries.count)
                batch.forEach { $0.done(.failure(error)) }
            }
        }
        flushing = false
    }
}
