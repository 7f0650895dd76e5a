import CreditRegistry
import Decisions
import GRDB
import PostgresNIO

/// The facts rule evaluation reads for a batch of subjects, copied from PostgreSQL into an
/// in-memory SQLite registry, so that the evaluator and its fact loaders
/// (``RegistryEvaluator``, ``Registry/facts(of:asOf:in:)``) run unchanged on PostgreSQL and give
/// the decisions they give on SQLite.
///
/// A batch holds its subjects and the subjects related to them (the organisations they serve,
/// their key persons), each with its status history, list entries, tax grades, penalties,
/// licences, verification facts and every relation it takes part in: all that evaluating one of
/// the batch's subjects with its related subjects reads. Reused batch after batch; memory
/// follows the batch, not the registry.
final class PostgresFactSnapshot {
    let registry: Registry
    private let queue: DatabaseQueue

    init() throws {
        queue = try DatabaseQueue()
        registry = try Registry(writer: queue)
        try DecisionSchema.migrate(registry)
    }

    private enum Column { case text(String), integer(String), real(String)
        var name: String { switch self { case .text(let n), .integer(let n), .real(let n): n } }
    }

    /// A fact table's columns as both stores name them (``FactTables`` says which rows).
    private struct Table {
        var table: FactTables.Table
        var columns: [Column]
        var name: String { table.name }
    }

    private static let columns: [String: [Column]] = [
        "subject": [.text("code"), .text("kind"), .text("name"), .text("status"), .text("status_since"), .text("established_on"),
                    .text("region"), .text("authority"), .integer("updated_by_record"), .text("identity_source")],
        "status_history": [.text("subject_code"), .text("since"), .text("status"), .integer("record_id")],
        "list_entry": [.integer("id"), .text("subject_code"), .text("list"), .text("entered_on"), .text("exited_on"), .text("ground"),
                       .text("reason"), .text("authority"), .text("entry_key"), .integer("entry_record"), .integer("exit_record")],
        "tax_grade": [.text("subject_code"), .integer("year"), .text("grade"), .text("published_on"), .integer("record_id")],
        "penalty": [.text("record_key"), .text("subject_code"), .text("document_number"), .text("decided_on"), .text("types"),
                    .integer("fine_micro_wan"), .text("severity"), .text("authority"), .text("publicity_end"), .text("repaired_on"),
                    .text("revoked_on"), .integer("record_id")],
        "licence": [.text("record_key"), .text("subject_code"), .text("number"), .text("type"), .text("granted_on"), .text("valid_until"),
                    .text("revoked_on"), .integer("record_id")],
        "relation": [.integer("id"), .text("from_code"), .text("role"), .text("to_code"), .real("share"), .text("valid_from"),
                     .text("valid_to"), .integer("record_id")],
        "verification_fact": [.integer("id"), .text("subject_code"), .text("fact"), .integer("holds"), .text("valid_from"),
                              .text("valid_until"), .text("source"), .text("recorded_on")],
    ]

    private static let tables: [Table] = FactTables.tables.map { Table(table: $0, columns: columns[$0.name] ?? []) }

    /// Replaces the snapshot's facts with those of `codes` and of the subjects related to them,
    /// read through `statements` (inside the caller's transaction: a feed's own writes included).
    func load(_ codes: [String], from statements: PipelinedStatements) throws {
        let all = try FactTables.batch(codes) { try statements.query($0, $1) }
        var rowsByTable: [[StatementArguments]] = []
        for table in Self.tables {
            let query = try FactTables.select(table.table, columns: table.columns.map(\.name).joined(separator: ", "), codes: all)
            var rows: [StatementArguments] = []
            for row in try statements.query(query, "read the facts of \(table.name)") {
                var values: [DatabaseValue] = []
                values.reserveCapacity(table.columns.count)
                for (cell, column) in zip(row, table.columns) {
                    switch column {
                    case .text: values.append(try cell.decode(String?.self).databaseValue)
                    case .integer: values.append(try cell.decode(Int64?.self).databaseValue)
                    case .real: values.append(try cell.decode(Double?.self).databaseValue)
                    }
                }
                rows.append(StatementArguments(values))
            }
            rowsByTable.append(rows)
        }
        try queue.inDatabase { db in
            for (table, rows) in zip(Self.tables, rowsByTable) {
                try db.execute(sql: "DELETE FROM \(table.name)")
                let names = table.columns.map(\.name).joined(separator: ", ")
                let marks = Array(repeating: "?", count: table.columns.count).joined(separator: ", ")
                let insert = try db.makeStatement(sql: "INSERT INTO \(table.name) (\(names)) VALUES (\(marks))")
                for arguments in rows { try insert.execute(arguments: arguments) }
            }
        }
    }

    /// Runs `body` on the snapshot.
    func read<T>(_ body: (Database) throws -> T) throws -> T { try queue.inDatabase(body) }
}
