import CreditQuery
import CreditRegistry
import Decisions
import RuleEngine
import Foundation
import GRDB
import PostgresNIO

/// ``RegistrySlicing`` on PostgreSQL: each slice is read in one `REPEATABLE READ` transaction
/// (one snapshot) and loaded into an in-memory SQLite registry, where the report builder, the
/// batch checker and the feed ledger run unchanged.
///
/// Measures come from the materialised `decision` table for the day it was evaluated for; for
/// another day (a rule set active) the report and the batch check evaluate the active rule set
/// on the fly over the slice, which then also holds the facts of its subjects and of the subjects
/// related to them (``FactTables``), as ``RuleDecisionProvider`` does on SQLite.
public struct PostgresSlices: RegistrySlicing {
    public let pool: PostgresSessionPool
    /// The active rule set, compiled once per version, for days evaluated on the fly.
    private let rules: PostgresDecisionStore
    private let columns = LockedBox<[String: [(String, ColumnType)]]?>(nil)
    /// Report slices kept for reuse (building a migrated in-memory registry costs more than a report).
    private let spare = LockedBox<[SliceRegistry]>([])
    static let keptSlices = 8

    /// What a report slice holds.
    static let reportTables = ["subject", "alias", "subject_name", "status_history", "relation", "list_entry", "penalty", "licence",
                               "tax_grade", "decision", "feedback", "record", "feed", "verification_fact"]
    /// What a ledger slice holds.
    static let ledgerTables = ["feed", "reject", "parked"]

    public init(pool: PostgresSessionPool) { self.pool = pool; rules = PostgresDecisionStore(pool: pool) }

    // MARK: - Report

    public func withReportSlice<T>(of identifier: String, asOf: Day, _ body: (Registry) throws -> T) throws -> T {
        try reportSlice(of: identifier, asOf: asOf, onTheFly: false) { slice, _ in try body(slice) }
    }

    public func withReportSlice<T>(of identifier: String, asOf: Day, decided body: (Registry, any DecisionProvider) throws -> T) throws -> T {
        try reportSlice(of: identifier, asOf: asOf, onTheFly: true, body)
    }

    public func withFactSlice<T>(of identifier: String, _ body: (Registry) throws -> T) throws -> T {
        try reportSlice(of: identifier, asOf: nil, onTheFly: false) { slice, _ in try body(slice) }
    }

    /// A report slice read in one snapshot; another day than the decision table's is refused
    /// unless `onTheFly`, when the slice gets the facts the rules read and the provider evaluates
    /// them. No day (`rules explain`): the slice gets the facts, and no day is checked.
    private func reportSlice<T>(of identifier: String, asOf: Day?, onTheFly: Bool,
                                _ body: (Registry, any DecisionProvider) throws -> T) throws -> T {
        let slice = try take()
        defer { giveBack(slice) }
        let decisions: any DecisionProvider = try pool.with { session in
            try session.transaction {
                try session.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", "start a read snapshot")
                if let asOf, !onTheFly { try DecisionDay.check(asOf, in: session) }
                let rules = onTheFly ? try asOf.flatMap { try DecisionDay.rulesOnTheFly($0, store: self.rules, in: session) } : nil
                try slice.registry.writer.writeWithoutTransaction { db in
                    try slice.clear(Self.reportTables, in: db)
                    if let code = try Self.loadReport(of: identifier, slice: slice, session: session, db: db), rules != nil || asOf == nil {
                        try slice.loadFacts(of: [code], from: session, into: db)
                        try Self.loadRecords(slice: slice, session: session, db: db)
                    }
                }
                return rules.map { RuleDecisionProvider(rules: $0, registry: slice.registry, materialisedOn: nil) } ?? TableDecisionProvider()
            }
        }
        return try body(slice.registry, decisions)
    }

    /// Loads the subject `identifier` names and everything its report reads; returns its code
    /// (nil: no such subject).
    @discardableResult
    static func loadReport(of identifier: String, slice: SliceRegistry, session: PostgresSession, db: Database) throws -> String? {
        let value = IdentifierText.normalise(identifier)
        guard let code = try session.query("""
            SELECT code FROM subject WHERE code = \(value)
            UNION ALL SELECT a.subject_code FROM alias a JOIN subject s ON s.code = a.subject_code WHERE a.value = \(value) LIMIT 1
            """, "look up \(IdentityMask.forDisplay(identifier))").first?.decode(String.self) else { return nil }
        try slice.load("subject", where: "code = \(code)", from: session, into: db)
        for table in ["alias", "subject_name", "status_history", "list_entry", "penalty", "licence", "tax_grade", "decision", "feedback"] {
            try slice.load(table, where: "subject_code = \(code)", from: session, into: db)
        }
        try slice.load("relation", where: "from_code = \(code) OR to_code = \(code)", from: session, into: db)
        let others = try String.fetchAll(db, sql: """
            SELECT from_code FROM relation WHERE from_code <> ?1 UNION SELECT to_code FROM relation WHERE to_code <> ?1
            """, arguments: [code])
        if !others.isEmpty { try slice.load("subject", where: "code = ANY(\(others))", from: session, into: db) }
        try loadRecords(slice: slice, session: session, db: db)
        return code
    }

    /// Loads the source records (and their feeds) that the slice's rows cite.
    static func loadRecords(slice: SliceRegistry, session: PostgresSession, db: Database) throws {
        // The source records the report cites: of list entries, penalties, licences, grades, status changes and decisions.
        let records = try Int64.fetchAll(db, sql: """
            SELECT entry_record FROM list_entry WHERE entry_record IS NOT NULL
            UNION SELECT exit_record FROM list_entry WHERE exit_record IS NOT NULL
            UNION SELECT record_id FROM penalty WHERE record_id IS NOT NULL
            UNION SELECT record_id FROM licence WHERE record_id IS NOT NULL
            UNION SELECT record_id FROM tax_grade WHERE record_id IS NOT NULL
            UNION SELECT record_id FROM status_history WHERE record_id IS NOT NULL
            UNION SELECT CAST(j.value AS INTEGER) FROM decision d, json_each(CASE WHEN json_valid(d.caused_by) THEN d.caused_by ELSE '[]' END) j
            """)
        guard !records.isEmpty else { return }
        try slice.load("record", where: "id = ANY(\(records))", from: session, into: db)
        let feeds = try Int64.fetchAll(db, sql: "SELECT DISTINCT feed_id FROM record WHERE feed_id IS NOT NULL")
        if !feeds.isEmpty { try slice.load("feed", where: "id = ANY(\(feeds))", from: session, into: db) }
    }

    // MARK: - Feed ledger

    public func withLedgerSlice<T>(rejects: LedgerRejects, _ body: (Registry) throws -> T) throws -> T {
        let slice = try take()
        defer { giveBack(slice) }
        try pool.with { session in
            try session.transaction {
                try session.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", "start a read snapshot")
                try slice.registry.writer.writeWithoutTransaction { db in
                    try slice.clear(Self.ledgerTables, in: db)
                    try slice.load("feed", where: "TRUE", from: session, into: db)
                    try slice.load("parked", where: "TRUE", from: session, into: db)
                    switch rejects {
                    case .none: break
                    case .all: try slice.load("reject", where: "TRUE", from: session, into: db)
                    case .feed(let key):
                        try slice.load("reject", where: "feed IN (SELECT id FROM feed WHERE id::text = \(key) OR feed_id = \(key))",
                                       from: session, into: db)
                    }
                }
            }
        }
        return try body(slice.registry)
    }

    // MARK: - Batch check

    public func batchLoaders(count: Int, asOf: Day, prefetch: Bool) throws -> [any BatchSliceLoader] {
        let target = try targetColumns()
        var loaders: [PostgresBatchLoader] = []
        do {
            var snapshot: String?
            var rules: CompiledRuleSet?
            var known: KnownSubjects?
            for _ in 0..<max(1, count) {
                let loader = try PostgresBatchLoader(location: pool.location, slice: SliceRegistry(target: target), snapshot: snapshot)
                loaders.append(loader)
                if snapshot == nil {
                    rules = try DecisionDay.rulesOnTheFly(asOf, store: self.rules, in: loader.session)
                    if prefetch { known = try KnownSubjects(session: loader.session) }
                    snapshot = try loader.exportSnapshot()
                }
                loader.rules = rules
                loader.known = known
            }
        } catch {
            for l in loaders { l.close() }
            throw error
        }
        return loaders
    }

    // MARK: - Slices

    private func targetColumns() throws -> [String: [(String, ColumnType)]] {
        if let c = columns.value { return c }
        let c = try pool.with { session in try RegistryCopy.targetColumns(RegistryCopy.registryTables, in: session) }
        columns.value = c
        return c
    }

    private func take() throws -> SliceRegistry {
        if let s = spare.withValue({ $0.popLast() }) { return s }
        return try SliceRegistry(target: try targetColumns())
    }

    private func giveBack(_ slice: SliceRegistry) {
        spare.withValue { if $0.count < Self.keptSlices { $0.append(slice) } }
    }
}

/// Whether the materialised decision table answers for a day.
enum DecisionDay {
    /// The active rule set when `asOf` is not the day the decision table was evaluated for (it is
    /// then evaluated on the fly); nil when the table answers.
    static func rulesOnTheFly(_ asOf: Day, store: PostgresDecisionStore, in session: PostgresSession) throws -> CompiledRuleSet? {
        let (active, day) = try tableDay(session)
        guard active && day != asOf.description else { return nil }
        return try store.activeRuleSet { try session.query($0, $1) }
    }

    private static func tableDay(_ session: PostgresSession) throws -> (active: Bool, day: String?) {
        try session.query("""
            SELECT EXISTS (SELECT 1 FROM ruleset WHERE active = 1), (SELECT max(evaluated_on COLLATE "C") FROM decision)
            """, "read the decision table's day")[0].decode((Bool, String?).self)
    }

    /// Throws ``PostgresStoreError/notPorted(_:)`` when a rule set is active and the table was
    /// evaluated for another day than `asOf` (that day needs the rules evaluated on the fly).
    static func check(_ asOf: Day, in session: PostgresSession) throws {
        let (active, day) = try tableDay(session)
        if active && day != asOf.description {
            throw PostgresStoreError.notPorted("measures as of \(asOf) (the decision table is for \(day ?? "no day"); other days are evaluated on the fly)")
        }
    }
}
