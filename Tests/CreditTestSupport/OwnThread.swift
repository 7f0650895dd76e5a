import Foundation

/// Runs `body` on a thread of its own instead of Swift's cooperative pool.
///
/// The pool has one thread per core. The suite runs its tests in parallel, so two long
/// synchronous tests (a property test, a fuzz loop, a wait for a `creditctl` subprocess) would
/// hold both threads of a 2-core machine, and the live servers and clients of the other tests
/// could not run until they end. A test that blocks for more than a moment wraps its body:
///
/// ```swift
/// @Test func anyArrivalOrderEndsLikeAFreshRegistry() async throws {
///     try await onOwnThread { ... }
/// }
/// ```
///
/// The body stays in the test's task (a task executor preference, not a new task), so its
/// `#expect`s are reported against the test as usual.
public func onOwnThread<T>(_ body: () async throws -> T) async throws -> T {
    let executor = OwnThreadExecutor()
    defer { executor.stop() }
    return try await withTaskExecutorPreference(executor) { try await body() }
}

/// A task executor that runs its jobs, one at a time, on one thread it starts for itself.
public final class OwnThreadExecutor: TaskExecutor, @unchecked Sendable {
    // `jobs` and `stopping` are guarded by `condition`.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopping = false

    public init() {
        let thread = Thread { [self] in run() }   // keeps the executor alive until `stop()`
        thread.name = "own-thread executor"
        thread.stackSize = 8 << 20
        thread.start()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Lets the thread end once the jobs already enqueued have run.
    public func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
