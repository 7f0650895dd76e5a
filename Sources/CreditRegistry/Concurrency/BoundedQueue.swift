import Foundation

/// A blocking, bounded hand-off between a producing thread and a consuming thread (parse and
/// write in ingest, read and evaluate in rule materialisation), so that both overlap on two
/// cores while memory stays flat.
public final class BoundedQueue<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element] = []
    private let capacity: Int
    private var closed = false

    public init(capacity: Int) { self.capacity = capacity }

    /// Blocks while full. Returns false when the consumer has closed the queue.
    public func put(_ e: Element) -> Bool {
        condition.lock(); defer { condition.unlock() }
        while items.count >= capacity && !closed { condition.wait() }
        if closed { return false }
        items.append(e)
        condition.broadcast()
        return true
    }

    /// Blocks while empty; nil once closed and drained.
    public func take() -> Element? {
        condition.lock(); defer { condition.unlock() }
        while items.isEmpty && !closed { condition.wait() }
        if items.isEmpty { return nil }
        let e = items.removeFirst()
        condition.broadcast()
        return e
    }

    /// Ends the hand-off (either side); waiting parties wake up.
    public func close() {
        condition.lock(); closed = true; condition.broadcast(); condition.unlock()
    }
}
