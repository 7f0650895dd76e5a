import CreditRegistry

/// One row of a national dishonest-judgment-debtor list as the exchange adapter read it:
/// the cells as text, checked and mapped by ``NationalListMapper`` like any feed record.
public struct NationalListRow: Sendable, Hashable {
    /// 1-based line in the file the row came from.
    public var line: Int
    public var code: String
    public var name: String
    /// The ground of listing, 1–6 (法释〔2017〕7号 第一条).
    public var ground: String
    /// The court's case number: the row's key, so a re-sent row is recognised.
    public var caseNumber: String
    public var court: String
    public var listedOn: String
    public var exitedOn: String

    public init(line: Int, code: String, name: String, ground: String, caseNumber: String, court: String,
                listedOn: String, exitedOn: String) {
        self.line = line; self.code = code; self.name = name; self.ground = ground
        self.caseNumber = caseNumber; self.court = court; self.listedOn = listedOn; self.exitedOn = exitedOn
    }
}

/// A national list file as parsed by the adapter: its digest and, per line, a row or the reason
/// the line could not be read as one (broken quoting, wrong number of columns).
public struct NationalListFile: Sendable {
    /// Where the file came from (shown in reports).
    public var file: String
    /// SHA-256 of the file's bytes: the same file imported twice is recognised.
    public var digest: String
    public var rows: [Result<NationalListRow, IngestReport.Reject>]

    public init(file: String, digest: String, rows: [Result<NationalListRow, IngestReport.Reject>]) {
        self.file = file; self.digest = digest; self.rows = rows
    }

    /// The feed id the import is stored under (derived from the content).
    public var feedID: String { "NATIONAL-DISHONEST-" + digest.prefix(16) }
}

/// A line of a list file that could not be read as a row is carried as its reject.
extension IngestReport.Reject: Error {}
