import CreditRegistry
/// What a record asks for: the `op` attribute of every feed record.
public enum RecordOperation: String, Sendable, Codable {
    /// Take the record; if a record with the same bureau key was taken before, this one replaces it
    /// (as a new version: records are never overwritten).
    case upsert
    /// Withdraw the record with this bureau key (e.g. a penalty decision revoked by review).
    case revoke
}
