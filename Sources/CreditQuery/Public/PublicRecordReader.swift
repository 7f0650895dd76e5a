import CreditRegistry
import GRDB

/// Reads one subject's ``PublicInputs`` (the public query's path).
///
/// ```swift
/// let inputs = try registry.read { db in try PublicRecordReader(registry: registry).inputs(for: "91350200MA2XH1K70Y", in: db) }
/// ```
public struct PublicRecordReader: Sendable {
    public let registry: Registry
    public init(registry: Registry) { self.registry = registry }

    /// The inputs of the subject an organisation identifier names (USCC, registration number,
    /// organisation code, tax number). Nil when none does, or when it names a natural person
    /// (by a resident ID number or otherwise): persons are never public.
    public func inputs(for identifier: String, in db: Database) throws -> PublicInputs? {
        guard let found = try registry.lookup(identifier, in: db), PublicDefinition.isPublic(found.kind) else { return nil }
        let code = found.code
        func rows<T>(_ sql: String, _ codeColumn: String, _ order: String, _ decode: (Row) throws -> T) throws -> [T] {
            try Row.fetchAll(db.cachedStatement(sql: "\(sql) WHERE \(codeColumn) = ? ORDER BY \(order)"), arguments: [code]).map(decode)
        }
        guard let subject = try rows(PublicFactColumns.subject, "s.code", "s.code", PublicFactColumns.subject).first else { return nil }
        return PublicInputs(subject: subject,
                            statusHistory: try rows(PublicFactColumns.status, "h.subject_code", "h.since, h.status", PublicFactColumns.status),
                            penalties: try rows(PublicFactColumns.penalty, "p.subject_code", "p.record_key", PublicFactColumns.penalty),
                            licences: try rows(PublicFactColumns.licence, "l.subject_code", "l.record_key", PublicFactColumns.licence),
                            lists: try rows(PublicFactColumns.list, "e.subject_code", "e.entry_key", PublicFactColumns.list))
    }
}
