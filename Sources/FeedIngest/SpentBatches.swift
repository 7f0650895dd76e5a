import Foundation

/// Batches the writer has written, handed back to the parsing thread to be freed there.
///
/// A batch's records hold strings, arrays and closures that the parsing thread allocated;
/// freeing them cost the writer — the thread that bounds an ingest — several per cent of its
/// time, more again when glibc returns each block to the other thread's arena under its lock.
/// The parsing thread frees the spent batches each time it hands over a new one.
final class SpentBatches: @unchecked Sendable {
    private let lock = NSLock()
    private var batches: [[Prepared]] = []

    /// Keeps a written batch until the parsing thread frees it.
    func add(_ batch: [Prepared]) {
        lock.lock(); batches.append(batch); lock.unlock()
    }

    /// Frees, on the calling thread, every batch handed back so far.
    func free() {
        lock.lock()
        let spent = batches
        batches = []
        lock.unlock()
        withExtendedLifetime(spent) {}
    }
}
