import CreditRegistry

/// One row of a national list file as the exchange adapter read it: the cells as text, checked
/// and mapped by ``NationalListMapper`` like any feed record.
///
/// A row names exactly one subject: an organisation or individual business by its USCC
/// (`code`), or a natural person by an 18-character resident ID (`idNumber`).
public struct NationalListRow: Sendable, Hashable, Codable {
    /// 1-based line in the file the row came from.
    public var line: Int
    /// The list, one of ``KnownList/national``.
    public var list: String
    /// The USCC of a legal person, organisation or individual business; empty for a person.
    public var code: String
    /// The resident ID of a natural person; empty for an organisation.
    public var idNumber: String
    /// The name as the listing authority wrote it (kept as a name variant).
    public var name: String
    /// The ground of listing (for dishonest judgment debtors 1–6, 法释〔2017〕7号 第一条).
    public var ground: String
    /// The case or decision number: the row's key, so a re-sent row is recognised.
    public var caseNumber: String
    /// The court or department that listed the subject.
    public var authority: String
    public var listedOn: String
    public var exitedOn: String

    /// The listing court (the authority of a dishonest-debtor row).
    public var court: String { authority }

    /// A row of any national list.
    public init(line: Int, list: String, code: String, idNumber: String, name: String, ground: String, caseNumber: String,
                authority: String, listedOn: String, exitedOn: String) {
        self.line = line; self.list = list; self.code = code; self.idNumber = idNumber; self.name = name; self.ground = ground
        self.caseNumber = caseNumber; self.authority = authority; self.listedOn = listedOn; self.exitedOn = exitedOn
    }

    /// A dishonest-judgment-debtor row in the single-list layout (`code` may be a USCC or a resident ID).
    public init(line: Int, code: String, name: String, ground: String, caseNumber: String, court: String,
                listedOn: String, exitedOn: String) {
        self.init(line: line, list: KnownList.dishonestDebtor, code: code, idNumber: "", name: name, ground: ground,
                  caseNumber: caseNumber, authority: court, listedOn: listedOn, exitedOn: exitedOn)
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
