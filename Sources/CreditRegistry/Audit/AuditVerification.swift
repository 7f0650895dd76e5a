/// What ``AuditLog/verify()`` found: how many entries and checkpoints it checked and every
/// problem, in the order an auditor should read them (entries by id, then checkpoints by number).
public struct AuditVerification: Sendable, Codable, Hashable {
    /// One thing wrong with the log, with a stable code.
    public struct Problem: Sendable, Codable, Hashable, CustomStringConvertible {
        public enum Kind: String, Sendable, Codable, Hashable {
            /// An entry's MAC does not match its content (edited, or written without the key).
            case entryAltered = "entry_altered"
            /// An entry does not link to the MAC of the entry before it (one deleted, reordered or replaced).
            case entryUnlinked = "entry_unlinked"
            /// Entry ids skip or repeat (entries deleted or renumbered).
            case entryOutOfSequence = "entry_out_of_sequence"
            /// The log has fewer entries than a checkpoint recorded (its tail was deleted).
            case missingTail = "missing_tail"
            /// The entry a checkpoint names as head has another MAC (the log was rewritten after it).
            case headMismatch = "head_mismatch"
            /// A checkpoint's signature is not the key's (forged or edited).
            case badCheckpointSignature = "bad_checkpoint_signature"
            /// A checkpoint does not follow the one before it (checkpoints removed, reordered, or a count went down).
            case checkpointOutOfSequence = "checkpoint_out_of_sequence"
            /// A line of the checkpoint file is not a checkpoint.
            case malformedCheckpoint = "malformed_checkpoint"
        }
        public var kind: Kind
        /// The entry concerned, if any.
        public var entry: Int64?
        /// The checkpoint concerned, if any.
        public var checkpoint: Int64?
        public var message: String
        public var description: String { message }
    }

    /// Entries read.
    public var entries: Int
    /// Checkpoints read.
    public var checkpoints: Int
    /// The last valid checkpoint's count (entries 1…anchored are vouched for), 0 when none.
    public var anchored: Int64
    public var problems: [Problem]

    public var isIntact: Bool { problems.isEmpty }
    /// The first entry with a problem, if any.
    public var firstBrokenID: Int64? { problems.compactMap(\.entry).min() }
    /// Entries after the last checkpoint: the tail that a truncation could remove unseen.
    public var unanchored: Int { max(0, entries - Int(anchored)) }
}
