import CreditRegistry
import FeedIngest
import PostgresNIO

/// The exchange outbox fed by a feed on PostgreSQL, inside the feed's transaction: a
/// `list-entry` or `list-exit` message for every list entry or exit written by the feed's
/// records and by the parked records it released, in the order of their records — the messages
/// ``Outbox/enqueueListChanges(ofFeed:feedID:released:in:)`` queues on SQLite. National lists'
/// own changes came from the platform and are never among them.
enum PostgresListChanges {
    static func enqueue(feedRow: Int64, released: [Int64], createdAt: String, statements: PipelinedStatements) throws {
        let rows = try statements.query("""
            SELECT change, record_id, subject_code, list, entry_key, entered_on, exited_on, ground, reason, authority, kind, name FROM (
                SELECT 0 AS change, r.id AS record_id, le.*, s.kind, s.name FROM record r JOIN list_entry le ON le.entry_record = r.id
                    LEFT JOIN subject s ON s.code = le.subject_code
                    WHERE (r.feed_id = \(feedRow) OR r.id = ANY(\(released))) AND r.bureau <> 'national'
                UNION ALL
                SELECT 1, r.id, le.*, s.kind, s.name FROM record r JOIN list_entry le ON le.exit_record = r.id
                    LEFT JOIN subject s ON s.code = le.subject_code
                    WHERE (r.feed_id = \(feedRow) OR r.id = ANY(\(released))) AND r.bureau <> 'national'
            ) c ORDER BY record_id, change
            """, "read the feed's list changes")
        for row in rows {
            let (change, _, subject, list, reference, enteredOn, exitedOn, ground, reason, authority, kind, name) =
                try row.decode((Int, Int64, String, String, String, String, String?, String?, String?, String?, String?, String?).self)
            let payload: String
            let messageKind: ExchangePayload.Kind
            if change == 0 {
                messageKind = .listEntry
                payload = try ExchangePayload.encode(ExchangePayload.ListEntry(list: list, reference: reference, enteredOn: enteredOn, ground: ground,
                                                                               authority: authority, name: name, subjectKind: kind))
            } else {
                guard let exitedOn else { continue }
                messageKind = .listExit
                payload = try ExchangePayload.encode(ExchangePayload.ListExit(list: list, reference: reference, exitedOn: exitedOn, reason: reason))
            }
            try statements.send("""
                INSERT INTO outbox (kind, subject_code, payload, created_at) VALUES (\(messageKind.rawValue), \(subject), \(payload), \(createdAt))
                """, "queue a list change")
        }
    }
}
