import CreditQuery
import CreditRegistry

/// ``RegistryReading`` split between a read replica and the primary: measures look-ups and name
/// search read the replica (answers as of its last replayed commit); accounts are read on the
/// primary, so that a token revoked there is refused without waiting for the replica to replay it.
public struct ReplicaReading: RegistryReading {
    public let replica: PostgresRegistryReading
    public let primary: PostgresRegistryReading

    public init(replica: PostgresRegistryReading, primary: PostgresRegistryReading) {
        self.replica = replica; self.primary = primary
    }

    public func lookUpMeasures(_ queries: [MeasuresQuery]) throws -> [Result<MeasuresLookup.Result?, any Error>] {
        try replica.lookUpMeasures(queries)
    }

    public func searchNames(_ text: String, limit: Int, asOf: Day, unmask: Bool) throws -> [NameHit] {
        try replica.searchNames(text, limit: limit, asOf: asOf, unmask: unmask)
    }

    public func activeAccount(digest: String) throws -> StoredAccount? { try primary.activeAccount(digest: digest) }
}
