import CreditRegistry
import GRDB

/// The columns the public definition reads, and their decoding: one place for the point
/// reader (``PublicRecordReader``) and the stream (``PublicInputsStream``), so the query and the
/// publication read the same facts. Every query selects `subject_code` first.
enum PublicFactColumns {
    static let subject = "SELECT s.code, s.kind, s.name, s.status, s.status_since, s.established_on, s.region, s.authority FROM subject s"
    static let status = "SELECT h.subject_code, h.since, h.status FROM status_history h"
    static let penalty = """
        SELECT p.subject_code, p.record_key, p.document_number, p.decided_on, p.types, p.fine_micro_wan, p.severity, p.authority,
               p.publicity_end, p.repaired_on, p.revoked_on, p.record_id, r.bureau, r.document_number
        FROM penalty p LEFT JOIN record r ON r.id = p.record_id
        """
    static let licence = """
        SELECT l.subject_code, l.record_key, l.number, l.type, l.granted_on, l.valid_until, l.revoked_on, l.record_id, r.bureau, r.document_number
        FROM licence l LEFT JOIN record r ON r.id = l.record_id
        """
    static let list = """
        SELECT e.subject_code, e.entry_key, e.list, e.entered_on, e.exited_on, e.ground, e.authority, e.entry_record, r.bureau, r.document_number
        FROM list_entry e LEFT JOIN record r ON r.id = e.entry_record
        """

    static func day(_ row: Row, _ i: Int, _ table: String, _ column: String) throws -> Day? {
        try Day.stored(row[i], table: table, column: column, row: row[0])
    }
    static func required(_ row: Row, _ i: Int, _ table: String, _ column: String) throws -> Day {
        try Day.storedRequired(row[i], table: table, column: column, row: row[0])
    }
    static func enumValue<T: RawRepresentable>(_ row: Row, _ i: Int, _ table: String, _ column: String) throws -> T where T.RawValue == String {
        let text: String? = row[i]
        guard let text, let v = T(rawValue: text) else { throw StoredValueError(table: table, column: column, row: row[0], value: text) }
        return v
    }

    static func subject(_ r: Row) throws -> Subject {
        Subject(code: r[0], kind: try enumValue(r, 1, "subject", "kind"), name: r[2], status: try enumValue(r, 3, "subject", "status"),
                statusSince: try day(r, 4, "subject", "status_since"), establishedOn: try day(r, 5, "subject", "established_on"),
                region: r[6], authority: r[7])
    }

    static func status(_ r: Row) throws -> (since: Day, status: SubjectStatus) {
        (try required(r, 1, "status_history", "since"), try enumValue(r, 2, "status_history", "status"))
    }

    static func penalty(_ r: Row) throws -> PublicInputs.Keyed<PenaltyFact> {
        let types: String = r[4]
        let fact = PenaltyFact(documentNumber: r[2], decidedOn: try required(r, 3, "penalty", "decided_on"),
                               types: types.split(separator: ";").map(String.init), fineMicroWan: r[5],
                               severity: try enumValue(r, 6, "penalty", "severity"), authority: r[7] ?? "",
                               publicityEnd: try day(r, 8, "penalty", "publicity_end"), repairedOn: try day(r, 9, "penalty", "repaired_on"),
                               revokedOn: try day(r, 10, "penalty", "revoked_on"), recordID: r[11])
        return .init(key: r[1], fact: fact, source: PublicSource(bureau: r[12] ?? "", documentNumber: r[13] ?? fact.documentNumber, recordID: r[11]),
                     authority: fact.authority)
    }

    static func licence(_ r: Row) throws -> PublicInputs.Keyed<LicenceFact> {
        let fact = LicenceFact(number: r[2], type: r[3], grantedOn: try required(r, 4, "licence", "granted_on"),
                               validUntil: try day(r, 5, "licence", "valid_until"), revokedOn: try day(r, 6, "licence", "revoked_on"), recordID: r[7])
        return .init(key: r[1], fact: fact, source: PublicSource(bureau: r[8] ?? "", documentNumber: r[9], recordID: r[7]), authority: nil)
    }

    static func list(_ r: Row) throws -> PublicInputs.Keyed<ListEntryFact> {
        let fact = ListEntryFact(list: r[2], enteredOn: try required(r, 3, "list_entry", "entered_on"),
                                 exitedOn: try day(r, 4, "list_entry", "exited_on"), ground: r[5], recordIDs: [r[7]])
        return .init(key: r[1], fact: fact, source: PublicSource(bureau: r[8] ?? "", documentNumber: r[9], recordID: r[7]), authority: r[6])
    }
}
