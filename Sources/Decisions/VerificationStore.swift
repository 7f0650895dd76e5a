import CreditRegistry
import GRDB

/// Facts a feed or an officer established that the registry's records cannot show (unpaid tax,
/// a criminal sentence, a court's enforcement, …), kept in the `verification_fact` table and
/// loaded into ``SubjectFacts/verifications`` for the rules' `verified` conditions.
///
/// Append-only: a later statement about the same fact of the same subject supersedes the
/// earlier ones (the latest by id is the one evaluation reads).
///
/// ```swift
/// try registry.write { db in
///     try VerificationStore.record(VerificationFact(fact: .taxUnpaid, holds: false, source: "officer:sat-07"),
///                                  subject: code, in: db)
/// }
/// ```
public enum VerificationStore {
    static func register(in m: inout DatabaseMigrator) {
        m.registerMigration("v4-verification-facts") { db in
            try db.execute(sql: """
                -- Facts a feed or an officer established for a subject (see VerifiableFact).
                CREATE TABLE verification_fact (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    subject_code TEXT NOT NULL,
                    fact TEXT NOT NULL,
                    holds INTEGER NOT NULL,
                    valid_from TEXT,
                    valid_until TEXT,
                    source TEXT NOT NULL,
                    recorded_on TEXT NOT NULL
                );
                CREATE INDEX verification_fact_subject ON verification_fact(subject_code);
                """)
        }
    }

    /// Stores one statement; returns its id (the record id evaluation cites).
    @discardableResult
    public static func record(_ v: VerificationFact, subject: String, recordedOn: Day, in db: Database) throws -> Int64 {
        if let f = v.from, let u = v.until, u <= f {
            throw VerificationError.emptyPeriod(from: f, until: u)
        }
        try db.execute(sql: """
            INSERT INTO verification_fact (subject_code, fact, holds, valid_from, valid_until, source, recorded_on)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [subject, v.fact.rawValue, v.holds, v.from?.description, v.until?.description, v.source, recordedOn.description])
        return db.lastInsertedRowID
    }

    /// The current statement for each fact of `subject` recorded on or before `asOf`.
    public static func facts(of subject: String, asOf: Day, in db: Database) throws -> [VerificationFact] {
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, fact, holds, valid_from, valid_until, source FROM verification_fact
            WHERE subject_code = ? AND recorded_on <= ? ORDER BY id
            """), arguments: [subject, asOf.description])
        var latest: [VerifiableFact: VerificationFact] = [:]
        for row in rows {
            let id: Int64 = row[0]
            let name: String = row[1]
            guard let fact = VerifiableFact(rawValue: name) else {
                throw StoredValueError(table: "verification_fact", column: "fact", row: "\(id)", value: name)
            }
            let from = try Day.stored(row[3], table: "verification_fact", column: "valid_from", row: "\(id)")
            let until = try Day.stored(row[4], table: "verification_fact", column: "valid_until", row: "\(id)")
            latest[fact] = VerificationFact(fact: fact, holds: (row[2] as Int64) != 0, from: from, until: until, source: row[5], recordID: id)
        }
        return latest.values.sorted { $0.recordID < $1.recordID }
    }

    /// Adds the subject's verification facts as known on `asOf` to `facts`.
    public static func attach(to facts: inout SubjectFacts, asOf: Day, in db: Database) throws {
        facts.verifications = try Self.facts(of: facts.code, asOf: asOf, in: db)
    }
}

/// A verification statement that cannot be stored.
public enum VerificationError: Error, CustomStringConvertible, Equatable {
    case emptyPeriod(from: Day, until: Day)

    public var description: String {
        switch self {
        case .emptyPeriod(let f, let u): "the fact would hold from \(f) until \(u): the end must come after the start"
        }
    }
}
