import CreditRegistry

/// Failures the reference peer can be told to show (flags of `creditctl national serve`, or
/// `POST /control` with the same names in JSON).
public struct PeerFaults: Sendable, Codable, Hashable {
    /// Close every exchange connection without an answer, as a peer that is down.
    public var down = false
    /// Answer HTTP 500 to the next N batches, storing nothing.
    public var failNext = 0
    /// Store the first ``dropAfter`` messages of the next N batches, then drop the connection mid-answer.
    public var dropNext = 0
    public var dropAfter = 0
    /// Store the next N batches, then answer 500 as if the answer was lost: the sender delivers them again.
    public var duplicateNext = 0
    /// Wait this many milliseconds before answering.
    public var slowMs = 0
    /// Sign acknowledgements and pages with a broken signature.
    public var badSignature = false

    public init() {}
}

/// The faults in force, changed by the control endpoint.
final class PeerFaultState: Sendable {
    private let box: LockedBox<PeerFaults>
    init(_ faults: PeerFaults) { box = LockedBox(faults) }
    var current: PeerFaults { box.value }
    func set(_ faults: PeerFaults) { box.value = faults }
    /// Takes one unit of a counted fault when any is left.
    func take(_ path: WritableKeyPath<PeerFaults, Int>) -> Bool {
        box.withValue { f in
            guard f[keyPath: path] > 0 else { return false }
            f[keyPath: path] -= 1
            return true
        }
    }
}
