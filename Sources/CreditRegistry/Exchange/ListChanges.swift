import GRDB

/// The list entries and exits a feed wrote, in the order of its records: what the outbox sends
/// the national platform after a bureau feed. Changes from national lists are never among them:
/// they came from the platform.
public struct ListChange: Sendable, Hashable {
    public enum Change: Sendable, Hashable { case entry, exit }
    public var change: Change
    public var recordID: Int64
    public var subjectCode: String
    public var subjectKind: String?
    public var name: String?
    public var list: String
    /// `bureau:key` of the entry record.
    public var reference: String
    public var enteredOn: String
    public var exitedOn: String?
    public var ground: String?
    public var reason: String?
    public var authority: String?

    /// The changes written by the feed stored under `bureau`/`feedID` and by the `released`
    /// records (parked records the feed's transaction applied; they keep their own feed),
    /// ordered by record.
    public static func written(byFeed bureau: String, feedID: String, released: [Int64] = [], in db: Database) throws -> [ListChange] {
        let feedRow = try Int64.fetchOne(db, sql: "SELECT id FROM feed WHERE bureau = ? AND feed_id = ?", arguments: [bureau, feedID])
        guard feedRow != nil || !released.isEmpty else { return [] }
        let releasedJSON = "[" + released.map(String.init).joined(separator: ",") + "]"
        func changes(_ change: Change, column: String) throws -> [ListChange] {
            try Row.fetchAll(db, sql: """
                SELECT le.*, r.id AS record_id, s.kind AS subject_kind, s.name AS subject_name
                FROM record r JOIN list_entry le ON le.\(column) = r.id
                LEFT JOIN subject s ON s.code = le.subject_code
                WHERE (r.feed_id = ? OR r.id IN (SELECT value FROM json_each(?))) AND r.bureau <> 'national'
                """, arguments: [feedRow, releasedJSON]).map { row in
                ListChange(change: change, recordID: row["record_id"], subjectCode: row["subject_code"], subjectKind: row["subject_kind"],
                           name: row["subject_name"], list: row["list"], reference: row["entry_key"], enteredOn: row["entered_on"],
                           exitedOn: row["exited_on"], ground: row["ground"], reason: row["reason"], authority: row["authority"])
            }
        }
        return (try changes(.entry, column: "entry_record") + changes(.exit, column: "exit_record"))
            .sorted { ($0.recordID, $0.change == .entry ? 0 : 1) < ($1.recordID, $1.change == .entry ? 0 : 1) }
    }
}

extension Outbox {
    /// Queues a `list-entry` or `list-exit` message for every list change the feed wrote, in
    /// the order of its records.
    public func enqueueListChanges(ofFeed bureau: String, feedID: String, released: [Int64] = [], in db: Database) throws {
        let createdAt = Self.now()
        for change in try ListChange.written(byFeed: bureau, feedID: feedID, released: released, in: db) {
            switch change.change {
            case .entry:
                let payload = try ExchangePayload.encode(ExchangePayload.ListEntry(
                    list: change.list, reference: change.reference, enteredOn: change.enteredOn, ground: change.ground,
                    authority: change.authority, name: change.name, subjectKind: change.subjectKind))
                try enqueue(.listEntry, subject: change.subjectCode, payload: payload, createdAt: createdAt, in: db)
            case .exit:
                guard let exitedOn = change.exitedOn else { continue }
                let payload = try ExchangePayload.encode(ExchangePayload.ListExit(
                    list: change.list, reference: change.reference, exitedOn: exitedOn, reason: change.reason))
                try enqueue(.listExit, subject: change.subjectCode, payload: payload, createdAt: createdAt, in: db)
            }
        }
    }
}

extension ListChange {
    /// Per list, the state lines `reference|subject|entered_on|exited_on` of the city's own
    /// (non-national) list entries and how many are in force: the city's side of reconciliation.
    public static func localState(in db: Database) throws -> [String: (lines: [String], inForce: Int)] {
        var out: [String: (lines: [String], inForce: Int)] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT list, entry_key, subject_code, entered_on, exited_on FROM list_entry WHERE entry_key NOT LIKE 'national:%'
            """)
        while let r = try rows.next() {
            let list: String = r["list"]
            let exited: String? = r["exited_on"]
            out[list, default: ([], 0)].lines.append("\(r["entry_key"] as String)|\(r["subject_code"] as String)|\(r["entered_on"] as String)|\(exited ?? "")")
            if exited == nil { out[list, default: ([], 0)].inForce += 1 }
        }
        return out
    }
}
