import CreditRegistry
import Foundation

/// Cancels requests that outlive their deadline, for the whole process with one ticker: a
/// request registers the task answering it and unregisters it when answered. The ticker runs
/// only while requests are registered and checks every ``tick``, so a deadline is kept to within
/// one tick. One timer per request (a sleeping task each) cost a timer-thread wake-up per request
/// and left every cancelled sleep pending in the timer heap for the full timeout.
final class RequestDeadlines: Sendable {
    /// The process's deadlines (one ticker, whatever the number of routers).
    static let shared = RequestDeadlines()

    /// How often deadlines are checked.
    let tick: Duration

    private struct Entry: Sendable {
        var deadline: ContinuousClock.Instant
        var cancel: @Sendable () -> Void
    }
    private struct State: Sendable {
        var entries: [UInt64: Entry] = [:]
        var next: UInt64 = 0
        var ticking = false
    }
    private let state = LockedBox(State())

    init(tick: Duration = .milliseconds(50)) { self.tick = tick }

    /// Calls `cancel` once `limit` has passed, unless ``remove(_:)`` came first. Returns the
    /// registration to remove.
    func add(_ limit: Duration, cancel: @escaping @Sendable () -> Void) -> UInt64 {
        let deadline = ContinuousClock.now + limit
        let (id, start) = state.withValue { s -> (UInt64, Bool) in
            s.next += 1
            s.entries[s.next] = Entry(deadline: deadline, cancel: cancel)
            defer { s.ticking = true }
            return (s.next, !s.ticking)
        }
        if start { Task.detached { await self.run() } }
        return id
    }

    /// Forgets a registration (its request was answered).
    func remove(_ id: UInt64) {
        _ = state.withValue { $0.entries.removeValue(forKey: id) }
    }

    /// Registrations not yet answered nor expired.
    var registered: Int { state.value.entries.count }

    private func run() async {
        while true {
            try? await Task.sleep(for: tick)
            let now = ContinuousClock.now
            let (expired, done) = state.withValue { s -> ([Entry], Bool) in
                let expired = s.entries.filter { $0.value.deadline <= now }
                for id in expired.keys { s.entries.removeValue(forKey: id) }
                if s.entries.isEmpty { s.ticking = false }
                return (Array(expired.values), s.entries.isEmpty)
            }
            expired.forEach { $0.cancel() }
            if done { return }
        }
    }
}
