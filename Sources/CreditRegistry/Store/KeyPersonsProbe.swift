import GRDB

/// Reads the key persons of one subject at a time by code (relations in which it is the
/// organisation), through a statement prepared once: for the few subjects of a stream read
/// without key persons whose key persons turn out to matter.
public struct KeyPersonsProbe {
    private let db: Database
    private let statement: Statement

    /// Prepares the statement inside a read (or write) transaction.
    public init(db: Database) throws {
        self.db = db
        statement = try db.makeStatement(sql: FactQueries.keyPersons.subjectSQL)
    }

    /// The key persons of `code`, in the order ``FactsStream`` gives them.
    public func keyPersons(of code: String) throws -> [RelationFact] {
        var f = SubjectFacts(code: code, kind: .enterprise, name: "")
        f.keyPersons = try FactQueries.keyPersons.load(code, with: statement, in: db)
        f.sortCanonically()
        return f.keyPersons
    }
}
