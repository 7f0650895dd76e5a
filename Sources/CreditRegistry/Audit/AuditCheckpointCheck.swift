/// The checks of an audit log's signed checkpoints, wherever the log and its checkpoints are
/// kept (SQLite's checkpoint file, PostgreSQL's `audit_checkpoint` table): each checkpoint's
/// signature, numbering and link to the one before, then each against the log's entries (its
/// head still there with the MAC it recorded).
///
/// ```swift
/// var check = AuditCheckpointCheck(key: key)
/// for c in stored { check.add(c, place: "row \(c.number)") }
/// // … walk the entries, keeping the MACs of `check.wanted` …
/// let (problems, anchored) = check.against(lastID: lastID, macs: macs)
/// ```
public struct AuditCheckpointCheck: Sendable {
    let key: AuditKey
    /// The checkpoints that parsed, in stored order.
    public private(set) var checkpoints: [AuditCheckpoint] = []
    /// The problems found so far, in stored order.
    public private(set) var problems: [AuditVerification.Problem] = []
    /// The last validly signed checkpoint.
    private var last: AuditCheckpoint?
    /// The last one that parsed (its successor follows it, even if it is bad).
    private var lastSeen: AuditCheckpoint?

    public init(key: AuditKey) { self.key = key }

    /// Checks the next stored checkpoint; `place` says where it is stored (`line 3`), nil
    /// `checkpoint` a stored line that is not one.
    public mutating func add(_ checkpoint: AuditCheckpoint?, place: String) {
        func problem(_ kind: AuditVerification.Problem.Kind, checkpoint: Int64? = nil, _ message: String) {
            problems.append(.init(kind: kind, entry: nil, checkpoint: checkpoint, message: message))
        }
        guard let c = checkpoint else {
            problem(.malformedCheckpoint, "\(place) of the checkpoint file is not a checkpoint")
            return
        }
        defer { lastSeen = c }
        guard c.isSigned(by: key) else {
            problem(.badCheckpointSignature, checkpoint: c.number,
                    "checkpoint \(c.number) (\(place)) has a bad signature: it was forged or edited, or made with another key")
            return
        }
        let expected = (last?.number ?? 0) + 1
        let followsValid = c.number == expected && c.previous == (last?.signature ?? AuditEncoding.genesis)
        let followsSeen = lastSeen.map { c.number == $0.number + 1 && c.previous == $0.signature } ?? false
        if !followsValid && !followsSeen {
            problem(.checkpointOutOfSequence, checkpoint: c.number,
                    "checkpoint \(c.number) (\(place)) does not follow checkpoint \(expected - 1): checkpoints were removed or reordered")
        } else if let last, c.count < last.count {
            problem(.checkpointOutOfSequence, checkpoint: c.number,
                    "checkpoint \(c.number) records \(c.count) entries, fewer than checkpoint \(last.number)'s \(last.count)")
        }
        checkpoints.append(c)
        last = c
    }

    /// The entries whose MACs ``against(lastID:macs:)`` needs (the heads the checkpoints recorded).
    public var wanted: Set<Int64> { Set(checkpoints.map(\.count).filter { $0 > 0 }) }

    /// Each checkpoint against a log whose last entry is `lastID`, given the MACs of the
    /// ``wanted`` entries: its problems, and the largest count a valid checkpoint vouches for.
    public func against(lastID: Int64, macs: [Int64: String]) -> (problems: [AuditVerification.Problem], anchored: Int64) {
        var problems: [AuditVerification.Problem] = []
        var anchored: Int64 = 0
        for c in checkpoints {
            if c.count > lastID {
                problems.append(.init(kind: .missingTail, entry: nil, checkpoint: c.number, message:
                    "missing tail after checkpoint \(c.number) (\(c.at)): it recorded \(c.count) entries, the log ends at entry \(lastID)"
                    + (c.count - lastID == 1 ? " (entry \(c.count) is missing)" : " (entries \(lastID + 1)…\(c.count) are missing)")))
            } else if c.count > 0, let mac = macs[c.count], !AuditEncoding.same(mac, c.head) {
                problems.append(.init(kind: .headMismatch, entry: c.count, checkpoint: c.number, message:
                    "entry \(c.count) is not the entry checkpoint \(c.number) (\(c.at)) recorded as head: the log was rewritten up to it"))
            } else if c.isSigned(by: key) {
                anchored = max(anchored, c.count)
            }
        }
        return (problems, anchored)
    }
}

extension AuditKey {
    /// Signs the checkpoint that follows `last` for a log kept by another store: `count`
    /// entries ending in the entry whose MAC is `head`, at `at`.
    public func checkpoint(count: Int64, head: String, after last: AuditCheckpoint?, at: String) -> AuditCheckpoint {
        AuditCheckpoint.make(count: count, head: head, after: last, at: at, key: self)
    }

    /// Whether `checkpoint` carries this key's signature.
    public func signed(_ checkpoint: AuditCheckpoint) -> Bool { checkpoint.isSigned(by: self) }
}

extension AuditCheckpoint {
    /// A checkpoint as another store keeps it.
    public static func stored(number: Int64, count: Int64, head: String, at: String, previous: String, signature: String) -> Self {
        Self(number: number, count: count, head: head, at: at, previous: previous, signature: signature)
    }
}
