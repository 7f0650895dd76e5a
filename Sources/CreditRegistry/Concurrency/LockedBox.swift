import Foundation

/// Hands a non-Sendable value to exactly one other thread, which alone uses it afterwards.
struct Handover<T>: @unchecked Sendable {
    let value: T
    init(_ v: T) { value = v }
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
}
