import CreditRegistry

/// The fixed words of the language: value sets, fields and their types.
enum Vocabulary {
    static let subjectKinds = SubjectKind.allCases.map(\.rawValue)
    static let statuses = SubjectStatus.allCases.map(\.rawValue)
    static let grades = TaxGrade.allCases.map(\.rawValue)
    static let severities = PenaltySeverity.allCases.map(\.rawValue)
    static let roles = RelationRole.allCases.map(\.rawValue)
    static let categories = ["administrative", "market", "sector", "social"]
    /// Lists that feeds fill (CreditRegistry ``KnownList``).
    static let fedLists: Set<String> = KnownList.all
    static let conditionWords = ["listed", "penalty", "revoked_licence", "key_person", "holds", "kind", "status",
                                 "latest_grade", "grade", "count", "total_fine", "verified", "not"]
    /// Facts a `verified` condition may name, with what must be verified.
    static let verifiableFacts: [String: String] = Dictionary(uniqueKeysWithValues: VerifiableFact.allCases.map { ($0.rawValue, $0.question) })

    /// The type of a field or operand.
    enum FieldType: Equatable {
        case enumeration(String, [String])
        case integer(String)
        case amount
        case text

        var noun: String {
            switch self {
            case .enumeration(let n, _): n
            case .integer(let n): n
            case .amount: "an amount in 万元"
            case .text: "a text"
            }
        }
    }

    static let kindType = FieldType.enumeration("a subject kind", subjectKinds)
    static let statusType = FieldType.enumeration("a status", statuses)
    static let gradeType = FieldType.enumeration("a tax grade", grades)
    static let severityType = FieldType.enumeration("a penalty severity", severities)

    static let subjectFields: [String: FieldType] = ["kind": kindType, "status": statusType, "latest_grade": gradeType]
    static let penaltyFields: [String: FieldType] = ["type": .text, "authority": .text, "severity": severityType, "fine": .amount]
    static let licenceFields: [String: FieldType] = ["type": .text]

    /// Options each fact line of a test subject accepts: name → (kind of value, required).
    enum OptionValue { case date, number, text, texts, ground, ident }
    static let factOptions: [String: [String: (OptionValue, Bool)]] = [
        "listed": ["from": (.date, true), "until": (.date, false), "ground": (.ground, false), "record": (.number, false)],
        "grade": ["year": (.number, true), "published": (.date, true), "record": (.number, false)],
        "penalty": ["on": (.date, true), "type": (.texts, false), "fine": (.number, false), "severity": (.ident, false),
                    "repaired": (.date, false), "revoked": (.date, false), "until": (.date, false), "authority": (.text, false),
                    "record": (.number, false)],
        "licence": ["type": (.text, true), "from": (.date, true), "until": (.date, false), "revoked": (.date, false), "record": (.number, false)],
        "status": ["since": (.date, false)],
        "verified": ["from": (.date, false), "until": (.date, false), "record": (.number, false)],
        "denied": ["record": (.number, false)],
        "role": ["from": (.date, true), "until": (.date, false), "record": (.number, false)],
    ]
}
