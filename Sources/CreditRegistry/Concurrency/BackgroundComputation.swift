import Foundation

/// A pure computation run on a thread of its own while the caller goes on with other work (a
/// writer rebuilding one index while the other core computes the next one's rows), then waited
/// for. Use it from threads that may block (a database writer's queue), never from Swift's
/// cooperative pool.
///
/// ```swift
/// let postings = BackgroundComputation { NameGramIndex.postings(of: names) }
/// try db.execute(sql: "INSERT INTO name_fts(name_fts) VALUES ('rebuild')")
/// try NameGramIndex.write(postings.wait(), in: db)
/// ```
package final class BackgroundComputation<T: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    /// Written once by the thread before it signals `done`; read after `done` is waited for.
    private var result: T?

    package init(_ work: @escaping @Sendable () -> T) {
        let thread = Thread { [self] in
            result = work()
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Blocks until the computation has finished, and returns its result. Call once.
    package func wait() -> T {
        done.wait()
        guard let result else { preconditionFailure("BackgroundComputation signalled without a result") }
        return result
    }
}
