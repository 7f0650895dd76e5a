import PostgresNIO

/// The facts rule evaluation reads for a batch of subjects: the subjects and the subjects related
/// to them (the organisations they serve, their key persons), each with its status history, list
/// entries, tax grades, penalties, licences, verification facts and every relation it takes part
/// in — all that evaluating one of the batch's subjects with its related subjects reads. One
/// definition for every loader that copies them out of PostgreSQL (``PostgresFactSnapshot`` in a
/// feed's transaction, ``SliceRegistry/loadFacts(of:query:into:)`` for a report or a batch check
/// on another day than the decision table's).
enum FactTables {
    /// A fact table and the condition that picks a batch's rows (`$1`: the batch's codes).
    struct Table {
        var name: String
        var batch: String
    }

    static let tables: [Table] = [
        Table(name: "subject", batch: "code = ANY($1)"),
        Table(name: "status_history", batch: "subject_code = ANY($1)"),
        Table(name: "list_entry", batch: "subject_code = ANY($1)"),
        Table(name: "tax_grade", batch: "subject_code = ANY($1)"),
        Table(name: "penalty", batch: "subject_code = ANY($1)"),
        Table(name: "licence", batch: "subject_code = ANY($1)"),
        Table(name: "relation", batch: "from_code = ANY($1) OR to_code = ANY($1)"),
        Table(name: "verification_fact", batch: "subject_code = ANY($1)"),
    ]

    /// `codes` and the subjects related to them, as `query` reads them.
    static func batch(_ codes: [String], _ query: (PostgresQuery, String) throws -> [PostgresRow]) throws -> [String] {
        var batch = Set(codes)
        for row in try query("""
            SELECT DISTINCT CASE WHEN from_code = ANY(\(codes)) THEN to_code ELSE from_code END FROM relation
            WHERE from_code = ANY(\(codes)) OR to_code = ANY(\(codes))
            """, "find the related subjects") {
            batch.insert(try row.decode(String.self))
        }
        return Array(batch)
    }

    /// The statement that reads `table`'s columns `names` for the subjects `codes`.
    static func select(_ table: Table, columns names: String, codes: [String]) throws -> PostgresQuery {
        var query = PostgresQuery(unsafeSQL: "SELECT \(names) FROM \(table.name) WHERE \(table.batch)")
        try query.binds.append(codes, context: .default)
        return query
    }
}
