import CreditRegistry

/// `manifest.json` of one publication: what was published for which day, against which earlier
/// publication, every file with its record count, size and SHA-256, and a place for a signature.
public struct PublicationManifest: Sendable, Codable, Hashable {
    /// Version of the publication layout.
    public var formatVersion = 1
    public var asOf: Day
    /// The publication the delta is against (nil: the first; the delta then adds everything).
    public var previous: Day?
    /// Encoding of the CSV files: `utf8` (with BOM) or `gb18030`; JSON Lines are always UTF-8.
    public var csvEncoding: String
    /// Version of the rule set that decided the publicity periods.
    public var ruleSetVersion: String
    /// The lists whose memberships are public, by id.
    public var publicLists: [String]
    /// Rows per table: in the snapshot, and added/changed/withdrawn in the delta.
    public var counts: [String: Counts]
    public var files: [File]
    /// Empty until publications are signed: an SM2 signature (SM3 digest) over this manifest
    /// as written with `signature` null, with the id of the key that made it.
    public var signature: Signature?

    public struct Counts: Sendable, Codable, Hashable {
        public var snapshot = 0
        public var added = 0
        public var changed = 0
        public var withdrawn = 0
        public init() {}
    }

    public struct File: Sendable, Codable, Hashable {
        /// Path relative to the publication's directory (`penalties.csv`, `delta/penalties.jsonl`).
        public var path: String
        /// `subjects`, `licences`, `penalties`, `lists`, or `dictionary`.
        public var dataset: String
        /// `snapshot`, `delta` or `dictionary`.
        public var part: String
        /// `csv`, `jsonl` or `json`.
        public var format: String
        public var records: Int
        public var bytes: Int
        public var sha256: String
    }

    public struct Signature: Sendable, Codable, Hashable {
        public var algorithm: String
        public var keyID: String
        public var value: String
    }
}

/// A publication refused or failed: what and where.
public enum PublicationError: Error, CustomStringConvertible, Sendable, Equatable {
    case alreadyPublished(directory: String)
    case laterPublicationExists(Day)
    case unreadablePrevious(file: String, line: Int, reason: String)
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case .alreadyPublished(let d): "\(d) exists: a publication is never rewritten (publish another day, or remove it)"
        case .laterPublicationExists(let day): "a later publication (\(day)) exists: deltas are published in date order"
        case .unreadablePrevious(let f, let l, let r): "\(f):\(l): the previous publication cannot be read: \(r)"
        case .io(let p, let r): "\(p): \(r)"
        }
    }
}
