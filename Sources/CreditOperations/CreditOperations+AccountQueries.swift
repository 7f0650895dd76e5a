import CreditQuery
import CreditRegistry

/// The look-ups as an account performs them: the role's boundaries (docs/roles.md) applied here,
/// once, for the service, the page and any other adapter.
extension CreditOperations {
    /// The report options an account gets: refused unless the role may look up (and, when
    /// `unmask` is asked, see ID numbers); an officer's department is the account's, whatever
    /// `department` asks; administrators and auditors may choose one.
    public func reportOptions(for account: Account, channel: String, asOf: Day?, department: String?, unmask: Bool) throws -> ReportBuilder.Options {
        try account.require(\.mayLookUp, "look subjects up")
        if unmask { try account.require(\.maySeePersonalIDs, "unmask ID numbers") }
        let dept = account.role.mayChooseDepartment ? (department ?? account.department) : account.department
        return ReportBuilder.Options(asOf: asOf, department: dept, unmask: unmask, actor: "\(channel):\(account.name)")
    }

    /// ``lookUpReport(_:options:)`` for an account (``reportOptions(for:channel:asOf:department:unmask:)``),
    /// its audit entries carrying the role; the caller commits them before answering.
    public func lookUpReport(_ identifier: String, for account: Account, channel: String, asOf: Day?, department: String?,
                             unmask: Bool) throws -> (report: SubjectReport?, audit: [AuditLog.Pending]) {
        let options = try reportOptions(for: account, channel: channel, asOf: asOf, department: department, unmask: unmask)
        var (report, entries) = try lookUpReport(identifier, options: options)
        for i in entries.indices { entries[i].detail = "role \(account.role.rawValue); " + entries[i].detail }
        return (report, entries)
    }

    /// The measures request of an account: refused unless the role may look up (and unmask when asked).
    public func measuresRequest(_ identifier: String, for account: Account, channel: String, asOf: Day?, unmask: Bool) throws -> MeasuresRequest {
        try account.require(\.mayLookUp, "look subjects up")
        if unmask { try account.require(\.maySeePersonalIDs, "unmask ID numbers") }
        return MeasuresRequest(identifier: identifier, asOf: asOf, viewer: account.viewer(channel: channel, unmask: unmask))
    }

    /// Name search for an account (refused to roles that may not search); audited.
    public func searchNames(_ text: String, limit: Int, for account: Account, channel: String) throws -> [NameHit] {
        try account.require(\.maySearch, "search names")
        return try searchNames(text, limit: limit, viewer: account.viewer(channel: channel))
    }

    /// The viewer of a batch check by an account (refused to roles that may not check).
    public func checkViewer(for account: Account, channel: String) throws -> Viewer {
        try account.require(\.mayCheck, "run batch checks")
        return account.viewer(channel: channel)
    }
}
