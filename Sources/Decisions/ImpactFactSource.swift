import CreditRegistry
import GRDB
import RuleEngine

/// Where an ``ImpactDiff`` reads the registry's facts: every subject once, as the whole-registry
/// evaluation sees it (``FactsStream``'s facts), all from one consistent state of the registry.
package protocol ImpactFactSource {
    /// Hands every subject's facts as of `asOf` to `body`, one subject at a time.
    func forEachSubject(asOf: Day, _ body: (SubjectFacts) throws -> Void) throws
    /// The registry names of the subjects `codes` (those that exist).
    func names(of codes: [String]) throws -> [String: String]
}

/// The facts of a SQLite registry, streamed in one read transaction.
package struct RegistryImpactFacts: ImpactFactSource {
    let db: Database

    package init(db: Database) { self.db = db }

    package func forEachSubject(asOf: Day, _ body: (SubjectFacts) throws -> Void) throws {
        var stream = try FactsStream(db: db, asOf: asOf)
        while let facts = try stream.next() { try body(facts) }
    }

    package func names(of codes: [String]) throws -> [String: String] {
        var names: [String: String] = [:]
        let statement = try db.makeStatement(sql: "SELECT name FROM subject WHERE code = ?")
        for code in codes {
            if let name = try String.fetchOne(statement, arguments: [code]) { names[code] = name }
        }
        return names
    }
}
