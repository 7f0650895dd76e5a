/// The checks of an audit log's entries, wherever they are kept (SQLite's audit file,
/// PostgreSQL's `audit` table): ids 1, 2, 3… with no gap, each MAC over its content and the MAC
/// before it. Both backends report the same problems in the same words.
///
/// ```swift
/// var entries = AuditEntryCheck(key: key)
/// for e in storedEntriesInIDOrder { entries.add(e); if check.wanted.contains(e.id) { macs[e.id] = e.mac } }
/// return entries.verification(checkpoints: check, macs: macs)
/// ```
public struct AuditEntryCheck: Sendable {
    /// Entry problems listed before the rest are summarised (a rewritten log breaks every entry after the first).
    static let problemLimit = 10
    let key: AuditKey
    /// The entries checked so far.
    public private(set) var count = 0
    /// The id of the last entry checked.
    public private(set) var lastID: Int64 = 0
    private var previous = AuditEncoding.genesis
    private var found = 0
    private var listed: [AuditVerification.Problem] = []

    public init(key: AuditKey) { self.key = key }

    /// Checks the next entry, in id order.
    public mutating func add(_ e: AuditLog.Entry) {
        count += 1
        let id = e.id
        if id != lastID + 1 {
            report(.entryOutOfSequence, entry: id, id > lastID + 1
                   ? "entry \(id) follows entry \(lastID): entries \(lastID + 1)…\(id - 1) are missing"
                   : "entry \(id) follows entry \(lastID): ids out of sequence")
        }
        if !key.verifies(e) {
            report(.entryAltered, entry: id, "entry \(id): its MAC does not match its content (altered, or written without the key)")
        } else if !AuditEncoding.same(e.previousMac, previous) {
            report(.entryUnlinked, entry: id, "entry \(id) does not link to the entry before it (an entry was deleted, reordered or replaced)")
        }
        previous = e.mac
        lastID = id
    }

    private mutating func report(_ kind: AuditVerification.Problem.Kind, entry: Int64, _ message: String) {
        found += 1
        if found <= Self.problemLimit { listed.append(.init(kind: kind, entry: entry, checkpoint: nil, message: message)) }
    }

    /// The verification of the whole log: the checkpoints' own problems, the entries', then each
    /// checkpoint against the entries (`macs`: the MACs of the entries `checkpoints.wanted` names).
    public func verification(checkpoints: AuditCheckpointCheck, macs: [Int64: String]) -> AuditVerification {
        var problems = checkpoints.problems + listed
        if found > Self.problemLimit {
            problems.append(.init(kind: .entryAltered, entry: nil, checkpoint: nil, message: "… and \(found - Self.problemLimit) more entry problems"))
        }
        let (tail, anchored) = checkpoints.against(lastID: lastID, macs: macs)
        problems += tail
        if lastID != Int64(count) && problems.isEmpty {
            problems.append(.init(kind: .entryOutOfSequence, entry: nil, checkpoint: nil, message: "the log holds \(count) entries but its last id is \(lastID)"))
        }
        return AuditVerification(entries: count, checkpoints: checkpoints.checkpoints.count, anchored: anchored, problems: problems)
    }
}
