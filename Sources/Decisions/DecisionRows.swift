import CreditRegistry
import RuleEngine
import GRDB

/// Writes decisions into the `decision` table with one prepared statement, bound value by value
/// (a full materialisation writes one row per decision of every subject).
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
        s.bind(1, d.subject); s.bind(2, d.measureID); s.bind(3, d.ruleID); s.bind(4, d.memorandum)
        s.bind(5, d.kind.rawValue); s.bind(6, d.category.rawValue); s.bind(7, d.department.id); s.bind(8, d.department.name)
        s.bind(9, d.legalBasis); s.bind(10, d.measureText); s.bind(11, d.from); s.bind(12, d.until); s.bind(13, d.financial)
        s.bind(14, d.via?.organisation); s.bind(15, d.via?.role.rawValue)
        s.bind(16, Self.causes(d.causedBy)); s.bind(17, version); s.bind(18, evaluatedOn)
        s.bind(19, d.toVerify.joined(separator: ","))
        s.bind(20, d.cooperating.map(\.id).joined(separator: ","))
        try s.run(db)
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
