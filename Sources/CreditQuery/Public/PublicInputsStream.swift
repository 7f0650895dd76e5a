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
    private var status: CodeOrderedRows<(since: Day, status: SubjectStatus)>
    private var penalties: CodeOrderedRows<PublicInputs.Keyed<PenaltyFact>>
    private var licences: CodeOrderedRows<PublicInputs.Keyed<LicenceFact>>
    private var lists: CodeOrderedRows<PublicInputs.Keyed<ListEntryFact>>

    /// Opens the cursors inside a read transaction.
    public init(db: Database) throws {
        subjects = try Row.fetchCursor(db, sql: "\(PublicFactColumns.subject) WHERE s.kind <> 'natural_person' ORDER BY s.code")
        status = try CodeOrderedRows(db, sql: "\(PublicFactColumns.status) ORDER BY h.subject_code, h.since, h.status") { row, _ in try PublicFactColumns.status(row) }
        penalties = try CodeOrderedRows(db, sql: "\(PublicFactColumns.penalty) ORDER BY p.subject_code, p.record_key") { row, _ in try PublicFactColumns.penalty(row) }
        licences = try CodeOrderedRows(db, sql: "\(PublicFactColumns.licence) ORDER BY l.subject_code, l.record_key") { row, _ in try PublicFactColumns.licence(row) }
        lists = try CodeOrderedRows(db, sql: "\(PublicFactColumns.list) ORDER BY e.subject_code") { row, _ in try PublicFactColumns.list(row) }
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
}
