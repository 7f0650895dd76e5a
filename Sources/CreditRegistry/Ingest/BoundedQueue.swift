import Foundation

/// A blocking, bounded hand-off between the parsing thread and the writing thread, so that
/// parse and write overlap on two cores while memory stays flat.
final class BoundedQueue<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element] = []
    private let capacity: Int
    private var closed = false

    init(capacity: Int) { self.capacity = capacity }

    /// Blocks while full. Returns false when the consumer has closed the queue.
    func put(_ e: Element) -> Bool {
        condition.lock(); defer { condition.unlock() }
        while items.count >= capacity && !closed { condition.wait() }
        if closed { return false }
        items.append(e)
        condition.broadcast()
        return true
    }

    /// Blocks while empty; nil once closed and drained.
    func take() -> Element? {
        condition.lock(); defer { condition.unlock() }
        while items.isEmpty && !closed { condition.wait() }
        if items.isEmpty { return nil }
        let e = items.removeFirst()
        condition.broadcast()
        return e
    }

    /// Ends the hand-off (either side); waiting parties wake up.
    func close() {
        condition.lock(); closed = true; condition.broadcast(); condition.unlock()
    }
}
