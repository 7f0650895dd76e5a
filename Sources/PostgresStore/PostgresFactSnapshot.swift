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

    /// A fact table: its columns as both stores name them, and the condition that picks a batch's rows.
    private struct Table {
        var name: String
        var columns: [Column]
        var batch: String
    }

    private static let tables: [Table] = [
        Table(name: "subject", columns: [.text("code"), .text("kind"), .text("name"), .text("status"), .text("status_since"),
                                         .text("established_on"), .text("region"), .text("authority"), .integer("updated_by_record"),
                                         .text("identity_source")],
              batch: "code = ANY($1)"),
        Table(name: "status_history", columns: [.text("subject_code"), .text("since"), .text("status"), .integer("record_id")],
              batch: "subject_code = ANY($1)"),
        Table(name: "list_entry", columns: [.integer("id"), .text("subject_code"), .text("list"), .text("entered_on"), .text("exited_on"),
                                            .text("ground"), .text("reason"), .text("authority"), .text("entry_key"),
                                            .integer("entry_record"), .integer("exit_record")],
              batch: "subject_code = ANY($1)"),
        Table(name: "tax_grade", columns: [.text("subject_code"), .integer("year"), .text("grade"), .text("published_on"), .integer("record_id")],
              batch: "subject_code = ANY($1)"),
        Table(name: "penalty", columns: [.text("record_key"), .text("subject_code"), .text("document_number"), .text("decided_on"),
                                         .text("types"), .integer("fine_micro_wan"), .text("severity"), .text("authority"),
                                         .text("publicity_end"), .text("repaired_on"), .text("revoked_on"), .integer("record_id")],
              batch: "subject_code = ANY($1)"),
        Table(name: "licence", columns: [.text("record_key"), .text("subject_code"), .text("number"), .text("type"), .text("granted_on"),
                                         .text("valid_until"), .text("revoked_on"), .integer("record_id")],
              batch: "subject_code = ANY($1)"),
        Table(name: "relation", columns: [.integer("id"), .text("from_code"), .text("role"), .text("to_code"), .real("share"),
                                          .text("valid_from"), .text("valid_to"), .integer("record_id")],
              batch: "from_code = ANY($1) OR to_code = ANY($1)"),
        Table(name: "verification_fact", columns: [.integer("id"), .text("subject_code"), .text("fact"), .integer("holds"),
                                                   .text("valid_from"), .text("valid_until"), .text("source"), .text("recorded_on")],
              batch: "subject_code = ANY($1)"),
    ]

    /// Replaces the snapshot's facts with those of `codes` and of the subjects related to them,
    /// read through `statements` (inside the caller's transaction: a feed's own writes included).
    func load(_ codes: [String], from statements: PipelinedStatements) throws {
        var batch = Set(codes)
        for row in try statements.query("""
            SELECT DISTINCT CASE WHEN from_code = ANY(\(codes)) THEN to_code ELSE from_code END FROM relation
            WHERE from_code = ANY(\(codes)) OR to_code = ANY(\(codes))
            """, "find the related subjects") {
            batch.insert(try row.decode(String.self))
        }
        let all = Array(batch)
        var rowsByTable: [[StatementArguments]] = []
        for table in Self.tables {
            let names = table.columns.map(\.name).joined(separator: ", ")
            var query = PostgresQuery(unsafeSQL: "SELECT \(names) FROM \(table.name) WHERE \(table.batch)")
            try query.binds.append(all, context: .default)
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
