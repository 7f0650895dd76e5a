import CreditRegistry

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
    /// Another writer held the database longer than the busy timeout; retrying later may succeed.
    case busy(BusyDatabase)

    /// Which database was busy.
    public enum BusyDatabase: String, Sendable, Equatable {
        case registry = "the registry"
        case audit = "the audit log"
    }

    public var description: String {
        switch self {
        case .invalidRules: "not activated: the rule set has errors"
        case .failingRuleTests(let s): "not activated: rule tests failed (\(s)); run `creditctl rules test`"
        case .noActiveRuleSet: "no active rule set (creditctl rules activate rules/)"
        case .noSuchVersion(let v): "no stored rule-set version to roll back to" + (v.map { " matching '\($0)'" } ?? "")
        case .badBatchInput(let reason): reason
        case .busy(let database): "\(database.rawValue) is locked by another writer; try again shortly"
        }
    }

    /// Runs `body`, turning SQLite's "database is locked" (after the busy timeout) into ``busy(_:)``.
    public static func mappingBusy<T>(_ database: BusyDatabase, _ body: () throws -> T) throws -> T {
        do { return try body() } catch where Registry.isBusy(error) {
            throw OperationError.busy(database)
        }
    }
}
