import CreditOperations
import CreditQuery
import CreditRegistry
import Foundation

/// Groups the measures look-ups that arrive together and answers them on the look-up pool from
/// one read transaction, then commits their audit entries in one write transaction before any of
/// them is answered: under load a request costs one index probe, one audit row and a
/// continuation, not a thread hop and two transactions of its own.
///
/// At most `drainers` pool threads take batches at a time; each takes every look-up waiting.
final class LookupBatcher: Sendable {
    typealias Answer = MeasuresLookup.Result?
    /// Called once on the look-up pool's thread with a look-up's answer or error.
    typealias Completion = @Sendable (Result<Answer, any Error>) -> Void

    private struct Waiting: Sendable {
        var request: MeasuresRequest
        var completion: Completion
    }
    private struct State: Sendable {
        var waiting: [Waiting] = []
        var draining = 0
    }

    private let operations: CreditOperations
    private let pool: BlockingPool
    private let drainers: Int
    private let state = LockedBox(State())

    init(operations: CreditOperations, pool: BlockingPool, drainers: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.operations = operations
        self.pool = pool
        self.drainers = max(1, drainers)
    }

    /// The answer to `request`, from the next batch, once its audit entry is committed. A
    /// cancelled caller stops waiting at once; the look-up, once queued, is still answered and audited.
    func lookUp(_ request: MeasuresRequest) async throws -> Answer {
        try await CancellableWait.result { done in lookUp(request, completion: done) }
    }

    /// Calls `completion` on a pool thread with the answer to `request` from the next batch, once
    /// its audit entry is committed (the event loop's fast path, which must not wait).
    func lookUp(_ request: MeasuresRequest, completion: @escaping Completion) {
        let start = state.withValue { s -> Bool in
            s.waiting.append(Waiting(request: request, completion: completion))
            guard s.draining < drainers else { return false }
            s.draining += 1
            return true
        }
        if start { pool.submit { self.drain() } }
    }

    /// Runs on a pool thread: answers batches until none is waiting.
    private func drain() {
        while true {
            let batch = state.withValue { s -> [Waiting] in
                if s.waiting.isEmpty { s.draining -= 1; return [] }
                defer { s.waiting = [] }
                return s.waiting
            }
            if batch.isEmpty { return }
            do {
                let answers = try operations.lookUpMeasures(batch.map(\.request))
                // A look-up that failed answers with its error and leaves no entry (nothing was shown).
                let entries = answers.flatMap { answer -> [AuditLog.Pending] in
                    if case .success(let a) = answer { a.audit } else { [] }
                }
                operations.metrics.auditQueued(entries.count)
                defer { operations.metrics.auditDequeued(entries.count) }
                try operations.recordAudit(entries)
                for (w, answer) in zip(batch, answers) { w.completion(answer.map(\.result)) }
            } catch {
                for w in batch { w.completion(.failure(error)) }
            }
        }
    }
}
