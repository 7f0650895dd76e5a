import CreditRegistry
import GRDB

/// Streams the ``PublicInputs`` of every public subject in code order (the publication's
/// path): one cursor per fact table, each read once in index order and merged by subject code,
/// so memory stays flat in the registry's size.
///
/// ```swift
/// try registry.read { db in
///     var stream = try PublicInputsStream(db: db)
///     while let inputs = try stream.next() { … }
/// }
/// ```
public struct PublicInputsStream {
    private var subjects: RowCursor
    private var status: Merge<(since: Day, status: SubjectStatus)>
    private var penalties: Merge<PublicInputs.Keyed<PenaltyFact>>
    private var licences: Merge<PublicInputs.Keyed<LicenceFact>>
    private var lists: Merge<PublicInputs.Keyed<ListEntryFact>>

    /// Opens the cursors inside a read transaction.
    public init(db: Database) throws {
        subjects = try Row.fetchCursor(db, sql: "\(PublicFactColumns.subject) WHERE s.kind <> 'natural_person' ORDER BY s.code")
        status = try Merge(db, "\(PublicFactColumns.status) ORDER BY h.subject_code, h.since, h.status", PublicFactColumns.status)
        penalties = try Merge(db, "\(PublicFactColumns.penalty) ORDER BY p.subject_code, p.record_key", PublicFactColumns.penalty)
        licences = try Merge(db, "\(PublicFactColumns.licence) ORDER BY l.subject_code, l.record_key", PublicFactColumns.licence)
        lists = try Merge(db, "\(PublicFactColumns.list) ORDER BY e.subject_code", PublicFactColumns.list)
    }

    /// The next public subject's inputs, or nil at the end.
    public mutating func next() throws -> PublicInputs? {
        guard let row = try subjects.next() else { return nil }
        let subject = try PublicFactColumns.subject(row)
        let code = subject.code
        var entries = try lists.values(for: code)
        if entries.count > 1 { entries.sort { $0.key < $1.key } }
        return PublicInputs(subject: subject, statusHistory: try status.values(for: code), penalties: try penalties.values(for: code),
                            licences: try licences.values(for: code), lists: entries)
    }

    /// A cursor over rows ordered by subject code (column 0), one row ahead; rows of codes that
    /// are not public subjects (natural persons, facts without a subject) are skipped.
    private struct Merge<Value> {
        let cursor: RowCursor
        let decode: (Row) throws -> Value
        var pending: (code: String, value: Value)?
        var started = false

        init(_ db: Database, _ sql: String, _ decode: @escaping (Row) throws -> Value) throws {
            cursor = try Row.fetchCursor(db, sql: sql)
            self.decode = decode
        }

        private mutating func advance() throws {
            if let row = try cursor.next() { pending = (row[0], try decode(row)) } else { pending = nil }
        }

        mutating func values(for code: String) throws -> [Value] {
            if !started { try advance(); started = true }
            var out: [Value] = []
            while let p = pending {
                if p.code < code { try advance(); continue }
                if p.code > code { break }
                out.append(p.value)
                try advance()
            }
            return out
        }
    }
}
