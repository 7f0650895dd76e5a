import CreditRegistry
import RuleEngine
import GRDB

/// Writes decisions into the `decision` table with one prepared statement, bound value by value
/// and text in place (a full materialisation writes one row per decision of every subject).
struct DecisionRows {
    private let db: Database
    private let statement: Statement
    private let version: String
    private let evaluatedOn: String

    init(rules: CompiledRuleSet, asOf: Day, in db: Database) throws {
        self.db = db
        version = rules.version
        evaluatedOn = asOf.description
        statement = try db.cachedStatement(sql: """
            INSERT INTO decision (subject_code, measure, rule, memorandum, kind, category, department, department_name, basis, text,
                valid_from, valid_until, financial, via_code, via_role, caused_by, ruleset_version, evaluated_on, to_verify, cooperating)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
    }

    /// Appends one decision row.
    func insert(_ d: Decision) throws {
        let s = statement
        s.bind(13, d.financial)
        try s.run(db, texts: [
            (1, d.subject), (2, d.measureID), (3, d.ruleID), (4, d.memorandum), (5, d.kind.rawValue), (6, d.category.rawValue),
            (7, d.department.id), (8, d.department.name), (9, d.legalBasis), (10, d.measureText), (11, d.from.description),
            (12, d.until?.description), (14, d.via?.organisation), (15, d.via?.role.rawValue), (16, Self.causes(d.causedBy)),
            (17, version), (18, evaluatedOn), (19, d.toVerify.joined(separator: ",")),
            (20, d.cooperating.map(\.id).joined(separator: ",")),
        ])
    }

    /// The record ids as a JSON array.
    static func causes(_ ids: [Int64]) -> String {
        var out = "["
        for (i, id) in ids.enumerated() {
            if i > 0 { out += "," }
            out += String(id)
        }
        out += "]"
        return out
    }
}
