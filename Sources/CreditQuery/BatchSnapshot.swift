import Foundation
import GRDB

/// Puts the batch workers' read transactions on one state of the registry, so that every row of
/// a file is judged against the same subjects, lists and decisions whichever worker takes it.
///
/// Each worker reads on its own connection of the pool. The coordinator reads `PRAGMA
/// data_version` on a connection of its own, outside any transaction, before the workers may
/// begin their transactions (``enter()``) and after every one of them has made its first read:
/// the value changes when any connection committed in between (this process's writer or another
/// process), so unchanged means every worker's snapshot is the same state; changed, the workers
/// end their transactions and begin again. Writers are never held up; when commits keep landing inside the
/// window (``maxRounds`` times), the first worker goes on alone (one worker, one snapshot). A
/// registry that is not a pool (a queue: one connection, the workers take turns) needs no gate.
final class BatchSnapshot: @unchecked Sendable {
    /// What a worker does after the gate.
    enum Verdict { case same, again, alone }

    /// Tries before the first worker goes on alone.
    static let maxRounds = 20

    private let cond = NSCondition()
    private let participants: Int
    private var round = 0
    /// Whether the current round's reference state has been read: workers may begin.
    private var opened = false
    private var arrived = 0
    private var verdict: (round: Int, same: Bool, last: Bool)?
    private var failed = false
    /// What the first worker loads inside its transaction for all of them (the prefetched codes).
    private var shared: KnownCodes??

    /// A gate for `participants` workers.
    init(participants: Int) { self.participants = participants }

    /// Runs the gate on a reader of the pool, outside a transaction; returns when every worker has
    /// begun its transaction on the same state (or the run failed).
    func coordinate(_ pool: DatabasePool) throws {
        try pool.unsafeRead { db in
            for attempt in 1...Self.maxRounds {
                let before = try Int.fetchOne(db, sql: "PRAGMA data_version")
                cond.lock()
                opened = true
                cond.broadcast()
                cond.unlock()
                let started = waitForArrivals()
                guard started else { return }
                let after = try Int.fetchOne(db, sql: "PRAGMA data_version")
                let same = before == after, last = attempt == Self.maxRounds
                cond.lock()
                verdict = (round, same, last)
                if !same && !last { round += 1; arrived = 0; opened = false }
                cond.broadcast()
                cond.unlock()
                if same || last { return }
            }
        }
    }

    private func waitForArrivals() -> Bool {
        cond.lock(); defer { cond.unlock() }
        while arrived < participants && !failed { cond.wait() }
        return !failed
    }

    /// Called by a worker before it begins its transaction: waits until the coordinator has read
    /// the state it compares against, and returns the round; nil when the run failed.
    func enter() -> Int? {
        cond.lock(); defer { cond.unlock() }
        while !opened && !failed { cond.wait() }
        return failed ? nil : round
    }

    /// Called by a worker inside its read transaction after its first read, with the round
    /// ``enter()`` gave: `.same` when every worker shares this snapshot, `.again` when the worker
    /// must end its transaction and begin again, `.alone` when the first worker goes on by itself
    /// and the others stop.
    func arrive(round mine: Int) -> Verdict {
        cond.lock(); defer { cond.unlock() }
        arrived += 1
        cond.broadcast()
        while !failed {
            if let v = verdict, v.round == mine {
                if v.same { return .same }
                return v.last ? .alone : .again
            }
            cond.wait()
        }
        return .same
    }

    /// Publishes what the first worker loaded for the others.
    func publish(_ known: KnownCodes?) {
        cond.lock(); defer { cond.unlock() }
        shared = .some(known)
        cond.broadcast()
    }

    /// What the first worker published; nil when the run failed before it did.
    func awaitShared() -> KnownCodes?? {
        cond.lock(); defer { cond.unlock() }
        while shared == nil && !failed { cond.wait() }
        return shared
    }

    /// Releases every waiter: a worker failed.
    func fail() {
        cond.lock(); defer { cond.unlock() }
        failed = true
        cond.broadcast()
    }
}
