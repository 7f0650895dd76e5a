import Foundation
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif

/// Threads of their own for work that blocks (SQLite reads and writes, batch checks), so that
/// neither Hummingbird's event loops nor Swift's cooperative pool ever wait on the database.
///
/// ```swift
/// let pool = BlockingPool(threads: 4, label: "db")
/// let report = try await pool.run { try operations.report(id, options: options) }
/// ```
final class BlockingPool: Sendable {
    private let pool: NIOThreadPool
    /// Added to the threads' nice value (Linux: per thread), so that background work yields the
    /// cores to look-ups.
    private let niceness: Int32

    init(threads: Int, niceness: Int32 = 0) {
        pool = NIOThreadPool(numberOfThreads: threads)
        self.niceness = niceness
        pool.start()
    }

    /// Runs `body` on one of the pool's threads and returns its result. A cancelled caller stops
    /// waiting at once (`CancellationError`); `body`, once started, runs to its end.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        let niceness = self.niceness
        return try await CancellableWait.result { done in
            pool.submit { state in
                guard case .active = state else { done(.failure(NIOThreadPoolError.ThreadPoolInactive())); return }
                if niceness != 0 { Self.lowerPriority(by: niceness) }
                done(Result { try body() })
            }
        }
    }

    /// Runs `body` on one of the pool's threads without waiting for it.
    func submit(_ body: @escaping @Sendable () -> Void) {
        let niceness = self.niceness
        pool.submit { state in
            guard case .active = state else { return }
            if niceness != 0 { Self.lowerPriority(by: niceness) }
            body()
        }
    }

    /// Stops the threads once their work is done.
    func shutdown() async throws { try await pool.shutdownGracefully() }

    private static func lowerPriority(by niceness: Int32) {
        #if os(Linux)
        // On Linux the nice value is per thread: `who` 0 is the calling thread, and threads it
        // creates (the checker's look-up threads) inherit it.
        let which = __priority_which_t(PRIO_PROCESS.rawValue)
        if getpriority(which, 0) < niceness { _ = setpriority(which, 0, niceness) }
        #endif
    }
}
