import GRDB

extension Registry {
    /// Every row of the tables that hold registry content, as text lines in a stable order,
    /// leaving out wall-clock columns (when a record was received, how long a feed took).
    /// Two registries built from the same feeds have equal snapshots, however the work was
    /// interrupted and resumed.
    public func snapshot() throws -> [String] {
        try read { db in
            var out: [String] = []
            for table in ["subject", "alias", "subject_name", "status_history", "relation", "record", "record_head", "list_entry",
                          "penalty", "licence", "tax_grade", "feed", "reject", "name_variant", "parked"] {
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1, 2, 3") {
                    out.append(table + ":" + row.columnNames.filter { !["recorded_at", "ingested_at", "seconds", "parked_at"].contains($0) }
                        .map { "\(row[$0] ?? "∅")" }.joined(separator: "|"))
                }
            }
            return out
        }
    }
}
