import CreditQuery
import CreditRegistry
import Decisions
import RuleEngine
import GRDB
import PostgresNIO

/// One batch-check worker's reader of the PostgreSQL registry: its own connection, one
/// `REPEATABLE READ` transaction for the whole run (the first loader exports its snapshot, the
/// others import it, so every row of a file is judged on one state), and an in-memory slice that
/// each batch replaces with what its verdicts read — about one index probe per row on the server,
/// a handful of statements per batch.
final class PostgresBatchLoader: BatchSliceLoader, @unchecked Sendable {
    let session: PostgresSession
    private let sliceRegistry: SliceRegistry
    var slice: Registry { sliceRegistry.registry }
    private var open = true
    /// The rule set evaluated on the fly when the run's day is not the decision table's (nil: the table answers).
    var rules: CompiledRuleSet?
    var decisions: any DecisionProvider {
        rules.map { RuleDecisionProvider(rules: $0, registry: slice, materialisedOn: nil) } ?? TableDecisionProvider()
    }

    /// What the verdicts read: the probe (`alias`, `subject`), the status history, former names, lists and decisions.
    static let tables = ["alias", "subject", "subject_name", "status_history", "list_entry", "decision"]
    /// What evaluating the rules on the fly reads besides (``FactTables``).
    static let moreFacts = FactTables.tables.map(\.name).filter { !tables.contains($0) }

    /// Connects and begins the run's transaction, on `snapshot` when another loader exported one.
    init(location: PostgresLocation, slice: SliceRegistry, snapshot: String?) throws {
        session = try PostgresSession.connect(to: location)
        sliceRegistry = slice
        do {
            try session.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", "begin the batch's read")
            if let snapshot { try session.execute("SET TRANSACTION SNAPSHOT '\(snapshot)'", "share the batch's snapshot") }
        } catch {
            session.close()
            throw error
        }
    }

    /// The transaction's snapshot, for the other workers.
    func exportSnapshot() throws -> String {
        try session.query("SELECT pg_export_snapshot()", "export the batch's snapshot")[0].decode(String.self)
    }

    /// Which subjects have list entries, decisions or status changes, when read once for the run
    /// (nil: those tables are asked for every subject of a batch).
    var known: KnownSubjects?

    /// One statement for the subjects the rows name by code; the aliases only of the identifiers
    /// no subject has as its code (the verdict probes the code first); status history, list
    /// entries and decisions of the subjects found (with ``known``: of those that have any); former
    /// names only of the subjects whose given name does not match.
    func load(_ rows: [BatchSliceRow], into db: Database) throws {
        try sliceRegistry.clear(rules == nil ? Self.tables : Self.tables + Self.moreFacts, in: db)
        let asked = Set(rows.map(\.identifier))
        guard !asked.isEmpty else { return }
        try sliceRegistry.load("subject", whose: "code", isIn: Array(asked), from: session, into: db)
        var names = try Self.names(db)
        let misses = asked.filter { names[$0] == nil }
        var aliased: [String: [String]] = [:]
        if !misses.isEmpty, try sliceRegistry.load("alias", whose: "value", isIn: Array(misses), from: session, into: db) > 0 {
            for row in try Row.fetchAll(db, sql: "SELECT value, subject_code FROM alias") {
                aliased[row[0], default: []].append(row[1])
            }
            let targets = Set(aliased.values.joined()).filter { names[$0] == nil }
            if try sliceRegistry.load("subject", whose: "code", isIn: Array(targets), from: session, into: db) > 0 {
                names = try Self.names(db)
            }
        }
        guard !names.isEmpty else { return }
        let found = Array(names.keys)
        for (table, holders) in [("status_history", known?.statuses), ("list_entry", known?.lists), ("decision", known?.decisions)] {
            let codes = holders.map { h in found.filter { h.contains($0) } } ?? found
            try sliceRegistry.load(table, whose: "subject_code", isIn: codes, from: session, into: db)
        }
        var renamed = Set<String>()
        for row in rows {
            for code in names[row.identifier] != nil ? [row.identifier] : aliased[row.identifier] ?? [] {
                if let name = names[code], NameMatcher.needsFormerNames(given: row.givenName, registered: name) { renamed.insert(code) }
            }
        }
        try sliceRegistry.load("subject_name", whose: "subject_code", isIn: Array(renamed), from: session, into: db)
        if rules != nil { try sliceRegistry.loadFacts(of: found, from: session, into: db) }
    }

    /// The slice's subjects: their registered names by code.
    private static func names(_ db: Database) throws -> [String: String] {
        var names: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT code, name FROM subject") { names[row[0]] = row[1] }
        return names
    }

    func close() {
        guard open else { return }
        open = false
        try? session.execute("COMMIT", "end the batch's read")
        session.close()
    }
}

/// The subjects that have status changes, list entries or decisions, read once in the run's
/// snapshot (a few percent of a registry), so that a batch asks those tables only about them.
final class KnownSubjects: Sendable {
    let statuses: Set<String>
    let lists: Set<String>
    let decisions: Set<String>

    init(session: PostgresSession) throws {
        func codes(_ table: String) throws -> Set<String> {
            Set(try session.query(PostgresQuery(unsafeSQL: "SELECT DISTINCT subject_code FROM \(table)"), "read who has \(table) rows")
                .map { try $0.decode(String.self) })
        }
        statuses = try codes("status_history")
        lists = try codes("list_entry")
        decisions = try codes("decision")
    }
}
