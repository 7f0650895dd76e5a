/// Group commit for the audit log: concurrent callers hand over their entries and wait until
/// they are committed; entries arriving while a batch is being written go into the next
/// transaction. Every look-up is still audited before it is answered, at the cost of one
/// commit per batch instead of one per look-up.
///
/// ```swift
/// let batcher = AuditBatcher(log: AuditLog(registry: registry))
/// try await batcher.record(entries)   // returns once committed
/// ```
public actor AuditBatcher {
    public let log: AuditLog
    private var pending: [(entries: [AuditLog.Pending], done: CheckedContinuation<Void, any Error>)] = []
    private var flushing = false

    public init(log: AuditLog) { self.log = log }

    /// Writes `entries` (in order, chained) and returns once they are committed.
    public func record(_ entries: [AuditLog.Pending]) async throws {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
            pending.append((entries, c))
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
            do {
                let log = self.log
                try log.registry.write { db in try log.append(entries, in: db) }
                batch.forEach { $0.done.resume() }
            } catch {
                batch.forEach { $0.done.resume(throwing: error) }
            }
        }
        flushing = false
    }
}
