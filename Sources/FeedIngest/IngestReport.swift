import CreditRegistry
/// What one ingest of one feed did: the per-feed report data administrators read.
public struct IngestReport: Sendable, Codable, Hashable {
    public enum Outcome: String, Sendable, Codable {
        /// Stored in one transaction.
        case ingested
        /// The same feed (same id and content) was ingested before: nothing changed.
        case alreadyIngested = "already_ingested"
        /// Refused whole; nothing of it stored.
        case refused
    }

    public var file: String
    public var outcome: Outcome
    public var bureau: String?
    public var feedID: String?
    public var sequence: Int?
    public var kind: String?
    public var read = 0
    public var new = 0
    public var changed = 0
    public var unchanged = 0
    public var revoked = 0
    public var rejected = 0
    /// Records that cannot be applied yet (they wait in `parked`, see `feeds pending`).
    public var parked = 0
    /// Records parked by earlier feeds that this feed made applicable (applied in its transaction).
    public var released = 0
    public var seconds = 0.0
    /// Why the feed was refused, when it was.
    public var reason: String?
    /// The first rejects (all are in the `reject` table).
    public var rejects: [Reject] = []
    /// Subjects whose facts changed (for incremental rule evaluation).
    public var touchedSubjects: [String] = []
    /// True when the feed touched too many subjects to list: re-evaluate the whole registry.
    public var touchedAll = false

    public var recordsPerSecond: Double { seconds > 0 ? Double(read) / seconds : 0 }

    /// A quarantined record.
    public struct Reject: Sendable, Codable, Hashable {
        public var line: Int
        public var key: String?
        public var field: String?
        public var reason: String
        public init(line: Int, key: String?, field: String?, reason: String) {
            self.line = line; self.key = key; self.field = field; self.reason = reason
        }
    }

    public init(file: String, outcome: Outcome) { self.file = file; self.outcome = outcome }

    private enum CodingKeys: String, CodingKey {
        case file, outcome, bureau, feedID = "feed_id", sequence, kind, read, new, changed, unchanged, revoked, rejected, parked, released
        case seconds, reason, rejects, recordsPerSecond = "records_per_second", touchedSubjects = "touched_subjects"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(file, forKey: .file); try c.encode(outcome, forKey: .outcome)
        try c.encodeIfPresent(bureau, forKey: .bureau); try c.encodeIfPresent(feedID, forKey: .feedID)
        try c.encodeIfPresent(sequence, forKey: .sequence); try c.encodeIfPresent(kind, forKey: .kind)
        try c.encode(read, forKey: .read); try c.encode(new, forKey: .new); try c.encode(changed, forKey: .changed)
        try c.encode(unchanged, forKey: .unchanged); try c.encode(revoked, forKey: .revoked); try c.encode(rejected, forKey: .rejected)
        try c.encode(parked, forKey: .parked); try c.encode(released, forKey: .released)
        try c.encode((seconds * 1000).rounded() / 1000, forKey: .seconds); try c.encodeIfPresent(reason, forKey: .reason)
        try c.encode(recordsPerSecond.rounded(), forKey: .recordsPerSecond)
        try c.encode(rejects, forKey: .rejects)
        try c.encode(touchedAll ? -1 : touchedSubjects.count, forKey: .touchedSubjects)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        file = try c.decode(String.self, forKey: .file); outcome = try c.decode(Outcome.self, forKey: .outcome)
        bureau = try c.decodeIfPresent(String.self, forKey: .bureau); feedID = try c.decodeIfPresent(String.self, forKey: .feedID)
        sequence = try c.decodeIfPresent(Int.self, forKey: .sequence); kind = try c.decodeIfPresent(String.self, forKey: .kind)
        read = try c.decode(Int.self, forKey: .read); new = try c.decode(Int.self, forKey: .new)
        changed = try c.decode(Int.self, forKey: .changed); unchanged = try c.decode(Int.self, forKey: .unchanged)
        revoked = try c.decode(Int.self, forKey: .revoked); rejected = try c.decode(Int.self, forKey: .rejected)
        parked = try c.decodeIfPresent(Int.self, forKey: .parked) ?? 0; released = try c.decodeIfPresent(Int.self, forKey: .released) ?? 0
        seconds = try c.decode(Double.self, forKey: .seconds); reason = try c.decodeIfPresent(String.self, forKey: .reason)
        rejects = try c.decode([Reject].self, forKey: .rejects)
    }
}
