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
    /// Decodes a `decision` row.
    init(row: Row) {
        subjectCode = row["subject_code"]
        measure = row["measure"]
        rule = row["rule"]
        memorandum = row["memorandum"]
        kind = Kind(rawValue: row["kind"]) ?? .punishment
        category = row["category"]
        department = row["department"]
        departmentName = row["department_name"]
        basis = row["basis"]
        text = row["text"]
        validFrom = (row["valid_from"] as String?).flatMap { try? Day($0) } ?? Day(ordinal: 0)
        validUntil = (row["valid_until"] as String?).flatMap { try? Day($0) }
        financial = (row["financial"] as Int64? ?? 0) != 0
        viaCode = row["via_code"]
        viaRole = row["via_role"]
        causedBy = Self.parseIDs(row["caused_by"] ?? "[]")
        rulesetVersion = row["ruleset_version"]
        evaluatedOn = (row["evaluated_on"] as String?).flatMap { try? Day(isoPrefixOf: $0) }
    }

    /// The columns ``init(positional:)`` reads, in its order.
    static let columns = """
        subject_code, measure, rule, memorandum, kind, category, department, department_name, basis, text,
        valid_from, valid_until, financial, via_code, via_role, caused_by, ruleset_version, evaluated_on
        """

    /// Decodes a row selected with ``columns`` by position (no column-name look-ups on the hot path).
    init(positional row: Row) {
        func day(_ i: Int) -> Day? {
            guard let t = row[i] as String? else { return nil }
            var text = t
            return text.withUTF8 { Day.parse($0) } ?? (try? Day(isoPrefixOf: t))
        }
        subjectCode = row[0]; measure = row[1]; rule = row[2]; memorandum = row[3]
        kind = Kind(rawValue: row[4]) ?? .punishment
        category = row[5]; department = row[6]; departmentName = row[7]; basis = row[8]; text = row[9]
        validFrom = day(10) ?? Day(ordinal: 0)
        validUntil = day(11)
        financial = (row[12] as Int64? ?? 0) != 0
        viaCode = row[13]; viaRole = row[14]
        causedBy = Self.parseIDs(row[15] ?? "[]")
        rulesetVersion = row[16]
        evaluatedOn = day(17)
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
