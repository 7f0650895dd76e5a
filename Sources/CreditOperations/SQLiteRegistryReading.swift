import CreditQuery
import CreditRegistry
import Decisions

/// ``RegistryReading`` on the SQLite registry: the measures look-up on the active rule set's
/// decisions (evaluated on the fly for another day than the table's), the name index, the
/// account table.
struct SQLiteRegistryReading: RegistryReading {
    let registry: Registry
    let activeRules: ActiveRuleCache

    func lookUpMeasures(_ queries: [MeasuresQuery]) throws -> [Result<MeasuresLookup.Result?, any Error>] {
        let lookup = MeasuresLookup(registry: registry, decisions: try activeRules.provider())
        return try registry.readSnapshot { db in
            queries.map { q in
                Result { try lookup.lookUp(q.identifier, asOf: q.asOf, maySeePersonalIDs: q.maySeePersonalIDs, in: db) }
            }
        }
    }

    func searchNames(_ text: String, limit: Int, asOf: Day, unmask: Bool) throws -> [NameHit] {
        try NameSearch(registry: registry).search(text, limit: limit, asOf: asOf, unmask: unmask)
    }

    func activeAccount(digest: String) throws -> StoredAccount? {
        try AccountStore(registry: registry).active(digest: digest)
    }
}
