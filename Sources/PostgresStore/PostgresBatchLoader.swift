import CreditQuery
import CreditRegistry
import Decisions
import RuleEngine
import GRDB
import PostgresNIO

/// One batch-check worker's reader of the PostgreSQL registry: its own connection, one
/// `REPEATABLE READ` transaction for the whole run (the first loader exports its snapshot, the
/// others import it, so every row of a file is judged on one state), and an in-memory slice that
/// each batch replaces with the subjects it names.
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

    func load(_ identifiers: [String], into db: Database) throws {
        try sliceRegistry.clear(rules == nil ? Self.tables : Self.tables + Self.moreFacts, in: db)
        let asked = Array(Set(identifiers))
        guard !asked.isEmpty else { return }
        try sliceRegistry.load("alias", where: "value = ANY(\(asked))", from: session, into: db)
        let codes = Array(Set(asked + (try String.fetchAll(db, sql: "SELECT subject_code FROM alias"))))
        guard try sliceRegistry.load("subject", where: "code = ANY(\(codes))", from: session, into: db) > 0 else { return }
        let found = try String.fetchAll(db, sql: "SELECT code FROM subject")
        for table in ["subject_name", "status_history", "list_entry", "decision"] {
            try sliceRegistry.load(table, where: "subject_code = ANY(\(found))", from: session, into: db)
        }
        if rules != nil { try sliceRegistry.loadFacts(of: found, from: session, into: db) }
    }

    func close() {
        guard open else { return }
        open = false
        try? session.execute("COMMIT", "end the batch's read")
        session.close()
    }
}
