import Foundation

/// Hands a non-Sendable value to exactly one other thread, which alone uses it afterwards.
package struct Handover<T>: @unchecked Sendable {
    package let value: T
    package init(_ v: T) { value = v }
}

/// A value shared between threads under a lock (a parsing thread's failure, a hook's result).
public final class LockedBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var _value: T
    public init(_ v: T) { _value = v }
    public var value: T {
        get { lock.lock(); defer { lock.unlock() }; return _value }
        set { lock.lock(); _value = newValue; lock.unlock() }
    }

    /// Reads or changes the value under the lock; keep `body` short (no I/O).
    public func withValue<R>(_ body: (inout T) throws -> R) rethrows -> R {
        lock.lock(); defer { lock.unlock() }
        return try body(&_value)
    }
}
