import CreditRegistry
import Foundation
import RuleEngine
import GRDB

/// A measure in force for a subject, as the `decision` table stores it (or as the rule engine
/// computes it on the fly for a past date).
public struct StoredDecision: Sendable, Hashable, Codable {
    /// Punishment for dishonesty or incentive for trustworthiness.
    public enum Kind: String, Sendable, Hashable, Codable {
        case punishment, incentive
    }

    public var subjectCode: String
    /// Measure id from the memorandum's measure table.
    public var measure: String
    public var rule: String
    public var memorandum: String
    public var kind: Kind
    /// Category per 国发〔2016〕33号: administrative, market, sector, social.
    public var category: String
    /// Implementing department (stable id) and its name.
    public var department: String
    public var departmentName: String
    /// Legal basis of the measure.
    public var basis: String
    public var text: String
    public var validFrom: Day
    /// Exclusive end; nil when open-ended.
    public var validUntil: Day?
    /// True when the measure concerns financial institutions (banks must apply it).
    public var financial: Bool
    /// When the measure extends to this subject through another one: that subject and the role.
    public var viaCode: String?
    public var viaRole: String?
    /// Ids of the records that caused the decision.
    public var causedBy: [Int64]
    public var rulesetVersion: String
    public var evaluatedOn: Day?
    /// Facts (``VerifiableFact`` ids) the decision rests on that nobody has verified: shown "to verify".
    public var toVerify: [String] = []
    /// Ids of the departments cooperating with ``department``.
    public var cooperating: [String] = []

    public init(subjectCode: String, measure: String, rule: String, memorandum: String, kind: Kind, category: String,
                department: String, departmentName: String, basis: String, text: String, validFrom: Day, validUntil: Day? = nil,
                financial: Bool = false, viaCode: String? = nil, viaRole: String? = nil, causedBy: [Int64] = [],
                rulesetVersion: String = "", evaluatedOn: Day? = nil) {
        self.subjectCode = subjectCode; self.measure = measure; self.rule = rule; self.memorandum = memorandum
        self.kind = kind; self.category = category; self.department = department; self.departmentName = departmentName
        self.basis = basis; self.text = text; self.validFrom = validFrom; self.validUntil = validUntil
        self.financial = financial; self.viaCode = viaCode; self.viaRole = viaRole; self.causedBy = causedBy
        self.rulesetVersion = rulesetVersion; self.evaluatedOn = evaluatedOn
    }

    /// True when in force on `day`: `validFrom <= day < validUntil`.
    public func isInForce(on day: Day) -> Bool { validFrom <= day && (validUntil.map { day < $0 } ?? true) }
}

extension StoredDecision {
    /// Decodes a `decision` row selected with `SELECT *`.
    init(row: Row) throws {
        try self.init(code: row["subject_code"], financial: (row["financial"] as Int64? ?? 0) != 0) { i in
            row[Self.columnNames[i]] as String?
        }
    }

    /// The columns ``init(columnsOf:)`` reads, in its order.
    static let columns = """
        subject_code, measure, rule, memorandum, kind, category, department, department_name, basis, text,
        valid_from, valid_until, financial, via_code, via_role, caused_by, ruleset_version, evaluated_on, to_verify, cooperating
        """
    static let columnNames = columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }

    /// Decodes the current row of a statement stepped directly (``Statement/step(_:)``) that
    /// selects ``columns``: the look-up path, without a GRDB cursor.
    init(columnsOf statement: Statement) throws {
        try self.init(code: statement.text(at: 0) ?? "", financial: statement.int64(at: 12) != 0) { i in statement.text(at: Int32(i)) }
    }

    /// Builds a decision from its text columns (`text(i)` is column `i` of ``columns``); throws
    /// ``StoredValueError`` for a value the model cannot represent.
    private init(code: String, financial: Bool, text: (Int) -> String?) throws {
        func required(_ i: Int) throws -> String {
            guard let s = text(i) else { throw StoredValueError(table: "decision", column: Self.columnNames[i], row: code, value: nil) }
            return s
        }
        func day(_ i: Int) throws -> Day? { try Day.stored(text(i), table: "decision", column: Self.columnNames[i], row: code) }
        subjectCode = code
        measure = try required(1); rule = try required(2); memorandum = try required(3)
        let kindText = try required(4)
        guard let kind = Kind(rawValue: kindText) else {
            throw StoredValueError(table: "decision", column: "kind", row: code, value: kindText)
        }
        self.kind = kind
        category = try required(5); department = try required(6); departmentName = try required(7)
        basis = try required(8); self.text = try required(9)
        validFrom = try Day.storedRequired(text(10), table: "decision", column: "valid_from", row: code)
        validUntil = try day(11)
        self.financial = financial
        viaCode = text(13); viaRole = text(14)
        causedBy = Self.parseIDs(try required(15))
        rulesetVersion = try required(16)
        evaluatedOn = try day(17)
        toVerify = Self.split(text(18))
        cooperating = Self.split(text(19))
    }

    /// A comma-separated list of ids; empty or missing is none.
    static func split(_ text: String?) -> [String] {
        guard let text, !text.isEmpty else { return [] }
        return text.split(separator: ",").map(String.init)
    }

    /// Reads a JSON array of integers (`[12,40]`) without a JSON decoder; other tokens are skipped.
    static func parseIDs(_ text: String) -> [Int64] {
        var ids: [Int64] = []
        var current: Int64 = 0, inNumber = false
        for b in text.utf8 {
            if b >= 48 && b <= 57 {
                current = current &* 10 &+ Int64(b - 48); inNumber = true
            } else {
                if inNumber { ids.append(current) }
                current = 0; inNumber = false
            }
        }
        if inNumber { ids.append(current) }
        return ids
    }
}
