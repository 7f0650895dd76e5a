import NIOConcurrencyHelpers

/// Waits for work handed to threads of their own and gives up when the waiting task is cancelled
/// (`CancellationError`): the work runs on and its result is dropped. So a request past its
/// deadline is answered at the deadline, not when the blocking work it started ends.
///
/// ```swift
/// let value = try await CancellableWait.result { done in pool.submit { _ in done(Result { try work() }) } }
/// ```
enum CancellableWait {
    /// Calls `start` with a completion that must be called once; returns what it is called with,
    /// or throws `CancellationError` as soon as the task is cancelled. `start` is not called for
    /// a task cancelled before it began waiting.
    static func result<T: Sendable>(isolation: isolated (any Actor)? = #isolation,
                                    _ start: (@escaping @Sendable (Result<T, any Error>) -> Void) -> Void) async throws -> T {
        let slot = Slot<T>()
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation(isolation: isolation) { continuation in
                if slot.install(continuation) { start { slot.resume($0) } }
            }
        } onCancel: {
            slot.resume(.failure(CancellationError()))
        }
    }

    /// The continuation, resumed by the first of the work's completion and the cancellation.
    private final class Slot<T: Sendable>: @unchecked Sendable {
        private let lock = NIOLock()
        private var continuation: UnsafeContinuation<T, any Error>?
        /// A result that came before the continuation was installed (a task already cancelled).
        private var early: Result<T, any Error>?
        private var finished = false

        /// Installs the continuation; false when a result came first (it is resumed with it).
        func install(_ c: UnsafeContinuation<T, any Error>) -> Bool {
            let early: Result<T, any Error>? = lock.withLock {
                if let early = self.early { finished = true; return early }
                continuation = c
                return nil
            }
            guard let early else { return true }
            c.resume(with: early)
            return false
        }

        func resume(_ result: Result<T, any Error>) {
            let c: UnsafeContinuation<T, any Error>? = lock.withLock {
                guard !finished else { return nil }
                guard let c = continuation else {
                    if early == nil { early = result }
                    return nil
                }
                finished = true
                continuation = nil
                return c
            }
            c?.resume(with: result)
        }
    }
}
