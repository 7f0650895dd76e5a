import CreditRegistry
import GRDB

/// Where the public query and the publication read the facts the public definition judges:
/// the SQLite registry (``RegistryPublicFacts``) or another store (the PostgreSQL backend), which
/// hands over the same ``PublicInputs`` so that the same ``PublicDefinition`` decides what is shown.
public protocol PublicFactsReading: Sendable {
    /// The inputs of the market entity an organisation identifier names; nil when none does or
    /// it names a natural person (persons are never public).
    func publicInputs(for identifier: String) throws -> PublicInputs?
    /// Hands the inputs of every public subject to `body` in code order (byte order of the
    /// code), all read from one snapshot of the store.
    func forEachPublicSubject(_ body: @Sendable (PublicInputs) throws -> Void) throws
}

/// ``PublicFactsReading`` on the SQLite registry: ``PublicRecordReader`` for one subject,
/// ``PublicInputsStream`` for all of them.
public struct RegistryPublicFacts: PublicFactsReading {
    public let registry: Registry

    public init(registry: Registry) { self.registry = registry }

    public func publicInputs(for identifier: String) throws -> PublicInputs? {
        let reader = PublicRecordReader(registry: registry)
        return try registry.read { db in try reader.inputs(for: identifier, in: db) }
    }

    public func forEachPublicSubject(_ body: @Sendable (PublicInputs) throws -> Void) throws {
        try registry.read { db in
            // One pass in index order gains nothing from a large page cache or a memory map, which
            // would make the process grow with the registry: small while publishing, restored after.
            let cache = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
            let mmap = try Int.fetchOne(db, sql: "PRAGMA mmap_size") ?? 0
            try db.execute(sql: "PRAGMA cache_size = -8192; PRAGMA mmap_size = 0")
            defer { try? db.execute(sql: "PRAGMA cache_size = \(cache); PRAGMA mmap_size = \(mmap)") }
            var stream = try PublicInputsStream(db: db)
            while let inputs = try stream.next() { try body(inputs) }
        }
    }
}
