import CreditRegistry
import Decisions
/// The verdict on one row of a bank's batch file, as one JSON line (keys in snake case) or one
/// CSV row carries it. Decode JSON Lines output with `JSONDecoder` into this type.
public struct BatchVerdict: Sendable, Hashable, Codable {
    /// Line number in the input file (the header, if any, is line 1).
    public var row: Int
    /// The input's other columns by header name (`column3`… without a header).
    public var input: [String: String]
    /// The normalised code; resident IDs masked (`110105********002X`).
    public var code: String?
    public var codeValid: Bool
    public var codeProblem: String?
    public var found: Bool
    /// The registered name (natural persons: surname and stars).
    public var registeredName: String?
    public var nameMatch: NameMatcher.Match?
    public var nameScore: Double?
    public var status: String?
    /// Lists the subject is on as of ``asOf``.
    public var lists: [String]
    /// Measure ids in force as of ``asOf``.
    public var punishments: [String]
    public var incentives: [String]
    /// The measures (of both kinds) that concern financial institutions.
    public var financialMeasures: [String]
    /// True when the row needs a person to look at it (see ``BatchChecker``).
    public var flagged: Bool
    public var asOf: Day
    /// Why the row could not be checked fully (missing columns, blank code, broken quoting).
    public var error: String?

    enum CodingKeys: String, CodingKey {
        case row, input, code, codeValid = "code_valid", codeProblem = "code_problem", found
        case registeredName = "registered_name", nameMatch = "name_match", nameScore = "name_score", status, lists
        case punishments, incentives, financialMeasures = "financial_measures", flagged, asOf = "as_of", error
    }

    /// CSV column names after `row` and the passed-through input columns.
    static let csvColumns = ["code", "code_valid", "code_problem", "found", "registered_name", "name_match", "name_score",
                             "status", "lists", "punishments", "incentives", "financial_measures", "flagged", "as_of", "error"]
}
