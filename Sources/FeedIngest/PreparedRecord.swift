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
    /// The identity the record carries of its subject, introducing the subject when the registry
    /// does not know it; nil for registrations, which register their subject themselves.
    var identity: SubjectIdentity?
    /// What the record needs to be applied (its original, the entry it closes), if anything.
    var waitsFor: ParkCondition? = nil
    /// What the record is mapped again from when it must wait (see ``ParkedItem``).
    var source: ParkedItem? = nil
    /// Applies the record to the derived state; returns the subjects whose facts changed.
    var apply: @Sendable (_ registry: Registry, _ db: Database, _ recordID: Int64) throws -> [String]
}

/// Why a record was quarantined.
struct RecordRejection: Error, Sendable {
    var field: String?
    var reason: String
}
