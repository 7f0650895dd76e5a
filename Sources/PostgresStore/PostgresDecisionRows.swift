import CreditRegistry
import RuleEngine

/// Writes decisions into PostgreSQL's `decision` table inside the caller's transaction: the
/// columns and values the SQLite materialiser writes, many rows to a statement, sent with the
/// transaction's other writes (``PipelinedStatements``).
final class PostgresDecisionRows {
    private let statements: PipelinedStatements
    private let version: String
    private let evaluatedOn: String
    private var pending: [String] = []
    /// Rows to one `INSERT`.
    private let rowsPerStatement = 256

    init(rules: CompiledRuleSet, asOf: Day, statements: PipelinedStatements) {
        self.statements = statements
        version = rules.version
        evaluatedOn = asOf.description
    }

    /// Appends one decision row (written at the latest by ``flush()``).
    func insert(_ d: Decision) throws {
        let causes = "[" + d.causedBy.map(String.init).joined(separator: ",") + "]"
        let financial: Int64 = d.financial ? 1 : 0
        let row: SQLText = """
            (\(d.subject), \(d.measureID), \(d.ruleID), \(d.memorandum), \(d.kind.rawValue), \(d.category.rawValue), \(d.department.id),
             \(d.department.name), \(d.legalBasis), \(d.measureText), \(d.from.description), \(d.until?.description), \(financial),
             \(d.via?.organisation), \(d.via?.role.rawValue), \(causes), \(version), \(evaluatedOn), \(d.toVerify.joined(separator: ",")),
             \(d.cooperating.map(\.id).joined(separator: ",")))
            """
        pending.append(row.sql)
        if pending.count >= rowsPerStatement { try flush() }
    }

    /// Removes the rows of `codes` (before their decisions are written again).
    func delete(_ codes: [String]) throws {
        guard !codes.isEmpty else { return }
        try flush()
        var list = ""
        for (i, code) in codes.enumerated() { list += (i > 0 ? ", " : "") + SQLText("\(code)").sql }
        try statements.send(SQLText(stringLiteral: "DELETE FROM decision WHERE subject_code IN (\(list))"), "remove decisions")
    }

    /// Sends the rows kept so far.
    func flush() throws {
        guard !pending.isEmpty else { return }
        let sql = """
            INSERT INTO decision (subject_code, measure, rule, memorandum, kind, category, department, department_name, basis, text,
                valid_from, valid_until, financial, via_code, via_role, caused_by, ruleset_version, evaluated_on, to_verify, cooperating)
            VALUES
            """ + pending.joined(separator: ",\n")
        pending.removeAll(keepingCapacity: true)
        try statements.send(SQLText(stringLiteral: sql), "write decisions")
    }
}
