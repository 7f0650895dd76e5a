import Foundation
import GRDB

/// One measure applied by a department to a subject: the feedback of joint punishment.
public struct Feedback: Sendable, Hashable, Codable {
    public var id: Int64
    public var subjectCode: String
    public var measure: String
    public var department: String
    public var caseNumber: String
    public var appliedOn: Day
    /// Who recorded it (the audit actor, e.g. `cli:wang`, `api:officer-07`).
    public var officer: String
    public var recordedAt: String

    public init(id: Int64, subjectCode: String, measure: String, department: String, caseNumber: String,
                appliedOn: Day, officer: String, recordedAt: String) {
        self.id = id; self.subjectCode = subjectCode; self.measure = measure; self.department = department
        self.caseNumber = caseNumber; self.appliedOn = appliedOn; self.officer = officer; self.recordedAt = recordedAt
    }
}

/// The append-only `feedback` table (triggers refuse updates and deletes).
///
/// ```swift
/// let stored = try registry.write { db in try FeedbackStore().append(feedback, in: db) }
/// ```
public struct FeedbackStore: Sendable {
    public init() {}

    /// Appends one feedback (its `id` is ignored) and returns it with the id it got.
    public func append(_ f: Feedback, in db: Database) throws -> Feedback {
        try db.execute(sql: """
            INSERT INTO feedback (subject_code, measure, department, case_number, applied_on, officer, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [f.subjectCode, f.measure, f.department, f.caseNumber, f.appliedOn.description, f.officer, f.recordedAt])
        var stored = f
        stored.id = db.lastInsertedRowID
        return stored
    }

    /// The feedback recorded for a subject up to `asOf` (applied on or before it), oldest first.
    /// A registry whose exchange tables were never created (opened without ``ExchangeSchema``)
    /// has none.
    public func feedback(of code: String, asOf: Day, in db: Database) throws -> [Feedback] {
        guard try db.tableExists("feedback") else { return [] }
        return try Row.fetchAll(db.cachedStatement(sql: """
            SELECT * FROM feedback WHERE subject_code = ? AND applied_on <= ? ORDER BY applied_on, id
            """), arguments: [code, asOf.description]).map { row in
            let day = try Day.storedRequired(row["applied_on"], table: "feedback", column: "applied_on", row: "\(row["id"] as Int64)")
            return Feedback(id: row["id"], subjectCode: row["subject_code"], measure: row["measure"], department: row["department"],
                            caseNumber: row["case_number"], appliedOn: day, officer: row["officer"], recordedAt: row["recorded_at"])
        }
    }
}
