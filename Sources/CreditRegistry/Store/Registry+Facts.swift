import GRDB

extension Registry {
    /// The facts of one subject for evaluation as of `asOf`: every fact with its whole valid
    /// time as the registry knows it (published ends after the day included, so a decision in
    /// force on the day gets its published end), and the status the subject had on the day.
    /// With `asOf` nil, the latest status. Reads through the same definitions as ``FactsStream``.
    public func facts(of code: String, asOf: Day? = nil) throws -> SubjectFacts? {
        try writer.read { db in try facts(of: code, asOf: asOf, in: db) }
    }

    /// ``facts(of:asOf:)`` inside an existing transaction.
    public func facts(of code: String, asOf: Day? = nil, in db: Database) throws -> SubjectFacts? {
        guard let s = try subject(code: code, in: db) else { return nil }
        func load<V>(_ q: FactQuery<V>) throws -> [V] { try q.load(code, in: db) }
        let (status, since) = StatusAsOf.resolve(current: s.status, since: s.statusSince,
                                                 history: try load(FactQueries.statuses), asOf: asOf)
        var f = SubjectFacts(code: s.code, kind: s.kind, name: s.name, status: status, statusSince: since)
        f.listEntries = try load(FactQueries.listEntries)
        f.taxGrades = try load(FactQueries.taxGrades)
        f.penalties = try load(FactQueries.penalties)
        f.licences = try load(FactQueries.licences)
        f.keyPersons = try load(FactQueries.keyPersons)
        f.roles = try load(FactQueries.roles)
        f.sortCanonically()
        return f
    }

    /// Codes of the organisations in which `code` holds any role (to evaluate extended measures).
    public func organisations(servedBy code: String, in db: Database) throws -> [String] {
        try String.fetchAll(db.cachedStatement(sql: "SELECT DISTINCT from_code FROM relation WHERE to_code = ? ORDER BY from_code"),
                            arguments: [code])
    }
}
