import CreditRegistry
import GRDB

/// A feed record validated and mapped off the writing thread: what to append to the history
/// and how it changes the derived state.
package struct PreparedRecord: Sendable {
    package var line: Int
    package var key: String
    package var operation: RecordOperation
    /// The registry code of the subject the record is about.
    package var subject: String
    /// Record kind stored in `record.kind` (the feed element, e.g. `penalty`).
    package var kind: String
    package var effectiveFrom: Day?
    package var documentNumber: String?
    /// Canonical JSON of what the bureau sent (the provenance payload).
    package var payload: String
    /// SHA-256 of the payload: re-sending the same content is recognised.
    package var hash: String
    /// The identity the record carries of its subject, introducing the subject when the registry
    /// does not know it; nil for registrations, which register their subject themselves.
    package var identity: SubjectIdentity?
    /// What the record needs to be applied (its original, the entry it closes), if anything.
    package var waitsFor: ParkCondition? = nil
    /// What the record is mapped again from when it must wait (see ``ParkedItem``).
    package var source: ParkedItem? = nil
    /// Applies the record to the derived state; returns the subjects whose facts changed.
    package var apply: @Sendable (_ facts: any DerivedFactsWriting, _ recordID: Int64) throws -> [String]
}

/// Why a record was quarantined.
package struct RecordRejection: Error, Sendable {
    package var field: String?
    package var reason: String
}
