/// Why the audit log cannot be opened or written.
public enum AuditError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The key file is missing while the log already holds entries or checkpoints made with a key.
    case keyMissing(path: String)
    /// The key file exists but cannot be used.
    case keyUnreadable(path: String, reason: String)
    /// Group or others may read or write the key file.
    case keyExposed(path: String, mode: UInt32)
    /// The checkpoint file cannot be read or appended to.
    case checkpointFile(path: String, reason: String)
    /// The entries no longer extend the last checkpoint (truncated or rewritten): no new
    /// checkpoint is signed over them.
    case doesNotExtendCheckpoint(number: Int64)
    /// The last line of the checkpoint file is not signed by the key: no checkpoint is chained onto it.
    case unsignedCheckpoint(number: Int64)

    public var description: String {
        switch self {
        case .keyMissing(let path):
            "the audit key \(path) is missing, but the audit log already has entries or checkpoints: restore the key file (or point --audit-key / CREDIT_AUDIT_KEY at it)"
        case .keyUnreadable(let path, let reason): "the audit key \(path): \(reason)"
        case .keyExposed(let path, let mode):
            "the audit key \(path) may be read or written by group or others (mode \(String(mode, radix: 8))): run `chmod 600 \(path)`"
        case .checkpointFile(let path, let reason): "the audit checkpoint file \(path): \(reason)"
        case .unsignedCheckpoint(let n):
            "the last audit checkpoint (\(n)) is not signed by the audit key: no checkpoint written; run `creditctl audit verify`"
        case .doesNotExtendCheckpoint(let n):
            "the audit log no longer extends checkpoint \(n) (entries deleted or rewritten): no checkpoint written; run `creditctl audit verify`"
        }
    }
}
