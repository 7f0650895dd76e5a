import CreditRegistry
import GRDB

extension DecisionStatistics {
    /// One subject on a list on a day, with the measures in force for it that day.
    public struct ListSubject: Sendable, Codable, Hashable {
        public var list: String
        public var code: String
        public var kind: SubjectKind
        public var name: String
        /// Measure ids in force on the day, sorted.
        public var measures: [String]
    }

    /// For each of `lists`, one subject on it on `day` — the one with most measures in force that
    /// day, then the lowest code — or nil when nobody is on the list that day.
    public func subjectPerList(_ lists: [String], on day: Day) throws -> [(list: String, subject: ListSubject?)] {
        let d = day.description
        return try registry.read { db in
            try lists.map { list in
                let row = try Row.fetchOne(db, sql: """
                    SELECT s.code, s.kind, s.name,
                           (SELECT COUNT(*) FROM decision d WHERE d.subject_code = s.code AND d.valid_from <= ?
                                AND (d.valid_until IS NULL OR d.valid_until > ?)) AS n
                    FROM list_entry e JOIN subject s ON s.code = e.subject_code
                    WHERE e.list = ? AND e.entered_on <= ? AND (e.exited_on IS NULL OR e.exited_on > ?)
                    ORDER BY n DESC, s.code LIMIT 1
                    """, arguments: [d, d, list, d, d])
                guard let row else { return (list, nil) }
                let code: String = row[0]
                let measures = try String.fetchAll(db, sql: """
                    SELECT DISTINCT measure FROM decision WHERE subject_code = ? AND valid_from <= ?
                        AND (valid_until IS NULL OR valid_until > ?) ORDER BY measure
                    """, arguments: [code, d, d])
                let kind = SubjectKind(rawValue: row[1] as String) ?? .other
                return (list, ListSubject(list: list, code: code, kind: kind, name: row[2], measures: measures))
            }
        }
    }
}
