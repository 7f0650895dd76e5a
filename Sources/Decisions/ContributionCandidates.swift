import CreditRegistry
import Foundation
import GRDB
import RuleEngine

/// The codes of the subjects that may contribute (``ContributionTable/candidates(_:sources:)``),
/// looked up on a thread of their own from a snapshot of the pool while the caller prepares the
/// materialisation (clears the decision table, splits the registry into code ranges).
final class ContributionCandidates: @unchecked Sendable {
    private let done = DispatchGroup()
    private let result = LockedBox<Result<[String], any Error>?>(nil)

    /// Starts the look-up of the subjects with a row of `sources` in `pool`.
    init(_ pool: DatabasePool, sources: Set<ContributionSource>) {
        done.enter()
        Thread { [done, result] in
            result.value = Result { try pool.read { db in try ContributionTable.candidates(db, sources: sources) } }
            done.leave()
        }.start()
    }

    /// Waits for the look-up and gives its codes, in code order.
    func codes() throws -> [String] {
        done.wait()
        return try result.value!.get()
    }
}
