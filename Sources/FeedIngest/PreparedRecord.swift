import CreditRegistry
import GRDB

/// A feed record validated and mapped off the writing thread: what to append to the history
/// and how it changes the derived state.
struct PreparedRecord: Sendable {
    var line: Int
    var key: String
    var operation: RecordOperation
    /// The registry code of the subject the record is about.
    var subject: String
    /// Record kind stored in `record.kind` (the feed element, e.g. `penalty`).
    var kind: String
    var effectiveFrom: Day?
    var documentNumber: String?
    /// Canonical JSON of what the bureau sent (the provenance payload).
    var payload: String
    /// SHA-256 of the payload: re-sending the same content is recognised.
    var hash: String
    /// False for records that register their subject (registrations, persons): others need it registered.
    var requiresRegisteredSubject: Bool
    /// Applies the record to the derived state; returns the subjects whose facts changed.
    var apply: @Sendable (_ registry: Registry, _ db: Database, _ recordID: Int64) throws -> [String]
}

/// Why a record was quarantined.
struct RecordRejection: Error, Sendable {
    var field: String?
    var reason: String
}
