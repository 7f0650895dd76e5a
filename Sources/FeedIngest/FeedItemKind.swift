import CreditRegistry
/// The kind of a feed record: its bureau and its element name.
///
/// The raw value is stable and may be stored. See `docs/feeds/README.md` for the fields and
/// groups each kind carries.
public enum FeedItemKind: String, Sendable, Codable, CaseIterable {
    // commerce
    case registration, licence, penalty, abnormalEntry, abnormalExit, seriousEntry, seriousExit
    // tax
    case taxGrade, taxCase, taxCaseRemoval
    // food
    case foodLicence, foodPenalty, foodDishonestEntry, foodDishonestExit

    /// The bureau whose feeds carry this kind.
    public var bureau: Bureau {
        switch self {
        case .registration, .licence, .penalty, .abnormalEntry, .abnormalExit, .seriousEntry, .seriousExit: .commerce
        case .taxGrade, .taxCase, .taxCaseRemoval: .tax
        case .foodLicence, .foodPenalty, .foodDishonestEntry, .foodDishonestExit: .food
        }
    }

    /// The local name of the record element in the bureau's feed.
    public var elementName: String {
        switch self {
        case .registration, .licence, .penalty, .abnormalEntry, .abnormalExit, .seriousEntry, .seriousExit: rawValue
        case .taxGrade: "grade"
        case .taxCase: "case"
        case .taxCaseRemoval: "caseRemoval"
        case .foodLicence: "licence"
        case .foodPenalty: "penalty"
        case .foodDishonestEntry: "dishonestEntry"
        case .foodDishonestExit: "dishonestExit"
        }
    }

    /// The list a list-entry or list-exit record is about (``KnownList`` ids), or nil.
    public var list: String? {
        switch self {
        case .abnormalEntry, .abnormalExit: KnownList.abnormalOperations
        case .seriousEntry, .seriousExit: KnownList.seriousViolation
        case .taxCase, .taxCaseRemoval: KnownList.majorTaxViolation
        case .foodDishonestEntry, .foodDishonestExit: KnownList.foodDrugSeriousDishonest
        default: nil
        }
    }

    /// The record kinds of one bureau.
    public static func kinds(of bureau: Bureau) -> [FeedItemKind] { allCases.filter { $0.bureau == bureau } }
}
