/// A use-case refused: what was asked and why. Adapters map these to their exit codes and
/// HTTP statuses.
public enum OperationError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The rule files do not check; `diagnostics` is the rendered list (file:line:column, caret).
    case invalidRules(diagnostics: String)
    /// The rule files check but their in-file tests fail.
    case failingRuleTests(summary: String)
    /// No rule set is active (rollback, refresh).
    case noActiveRuleSet
    /// No stored version matches (rollback).
    case noSuchVersion(String?)
    /// A batch file the checker cannot read as a table of counterparties.
    case badBatchInput(String)

    public var description: String {
        switch self {
        case .invalidRules: "not activated: the rule set has errors"
        case .failingRuleTests(let s): "not activated: rule tests failed (\(s)); run `creditctl rules test`"
        case .noActiveRuleSet: "no active rule set (creditctl rules activate rules/)"
        case .noSuchVersion(let v): "no stored rule-set version to roll back to" + (v.map { " matching '\($0)'" } ?? "")
        case .badBatchInput(let reason): reason
        }
    }
}
