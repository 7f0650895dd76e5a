import CreditRegistry
import Decisions
import GRDB

/// A registry kept in another store (the PostgreSQL backend), read by the SQLite-side builders
/// through *slices*: the rows a use-case reads, loaded into an in-memory SQLite registry of the
/// same schema. The credit report, the batch verdicts and the feed ledger are then computed by
/// the same code (``ReportBuilder``, ``BatchChecker``, the feed ledger) whichever database holds
/// the registry, so the two backends cannot drift apart in what they answer.
public protocol RegistrySlicing: Sendable {
    /// Runs `body` on a registry holding what the credit report of the subject `identifier`
    /// names reads (its identity, names, history, relations, lists, penalties, licences, tax
    /// grades, decisions, feedback and the source records of all of them); empty when no subject
    /// has that identifier. Throws when the store cannot answer for `asOf` (see ``checkDay(_:)``).
    func withReportSlice<T>(of identifier: String, asOf: Day, _ body: (Registry) throws -> T) throws -> T

    /// ``withReportSlice(of:asOf:_:)`` for any day: `body` gets the slice and where its measures
    /// come from — the slice's decision table when the store's was evaluated for `asOf` (or no
    /// rule set is active), else the active rule set evaluated on the fly over the slice, which
    /// then also holds the facts of the subject and of the subjects related to it.
    func withReportSlice<T>(of identifier: String, asOf: Day, decided body: (Registry, any DecisionProvider) throws -> T) throws -> T

    /// Runs `body` on a registry holding the feed ledger: every feed, the records that wait, and
    /// the quarantined records of the feeds `rejects` selects.
    func withLedgerSlice<T>(rejects: LedgerRejects, _ body: (Registry) throws -> T) throws -> T

    /// Runs `body` on a registry holding what ``withReportSlice(of:asOf:_:)`` holds for the
    /// subject `identifier` names, and the facts rule evaluation reads for it and the subjects
    /// related to them, with the source records they cite (`rules explain`).
    func withFactSlice<T>(of identifier: String, _ body: (Registry) throws -> T) throws -> T

    /// One loader per batch-check worker, all reading one snapshot of the store. Throws when the
    /// store cannot answer for `asOf`. `prefetch`: the file is large enough that reading once which
    /// subjects have list entries, decisions or status changes costs less than asking for them
    /// batch by batch (``BatchChecker/prefetchFromBytes``).
    func batchLoaders(count: Int, asOf: Day, prefetch: Bool) throws -> [any BatchSliceLoader]
}

extension RegistrySlicing {
    /// A store that answers from its decision table alone.
    public func withReportSlice<T>(of identifier: String, asOf: Day, decided body: (Registry, any DecisionProvider) throws -> T) throws -> T {
        try withReportSlice(of: identifier, asOf: asOf) { try body($0, TableDecisionProvider()) }
    }
}

/// Which quarantined records a ledger slice holds.
public enum LedgerRejects: Sendable, Hashable {
    case none
    /// Those of the feed with this row id or bureau feed id.
    case feed(String)
    case all
}

/// What a batch-check row asks of a slice: its normalised identifier and the name given beside it.
public struct BatchSliceRow: Sendable, Hashable {
    public var identifier: String
    public var givenName: String?
    public init(identifier: String, givenName: String?) { self.identifier = identifier; self.givenName = givenName }
}

/// Fills a batch-check worker's in-memory registry with the subjects one batch of rows names.
public protocol BatchSliceLoader: AnyObject, Sendable {
    /// The worker's in-memory registry (the schema of the SQLite registry).
    var slice: Registry { get }
    /// Replaces what `db` (the slice's connection) holds with what the verdicts on these rows read:
    /// the subjects their normalised identifiers name (directly, or through an alias when no
    /// subject has that code), their status history, list entries and decisions, and their former
    /// names where the given name does not match the registered one
    /// (``NameMatcher/needsFormerNames(given:registered:)``).
    func load(_ rows: [BatchSliceRow], into db: Database) throws
    /// Ends the loader's read of the store.
    func close()
    /// Where the verdicts' measures come from (default: the slice's decision table).
    var decisions: any DecisionProvider { get }
}

extension BatchSliceLoader {
    /// Where the verdicts' measures come from: the slice's decision table unless a loader says otherwise.
    public var decisions: any DecisionProvider { TableDecisionProvider() }
}
