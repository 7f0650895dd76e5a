import CreditRegistry
import Decisions
import Foundation
import GRDB

/// Builds a ``SubjectReport`` for any identifier and records the look-up in the audit log.
///
/// ```swift
/// let builder = ReportBuilder(registry: registry)
/// let report = try builder.report(for: "M000100Y-4",
///                                 options: .init(department: "tax", actor: "officer:tax-01"), audit: log)
/// report?.measures.first?.department   // "tax": the department's measures come first
/// ```
///
/// Every call of ``report(for:options:audit:)`` appends a `lookup` entry to the audit log (also when
/// nothing is found) and, when personal identifiers are shown unmasked, a second `unmask` entry.
public struct ReportBuilder: Sendable {
    public let registry: Registry
    public let decisions: any DecisionProvider

    /// What to build.
    public struct Options: Sendable, Hashable {
        /// The day to describe; nil means today (UTC+8).
        public var asOf: Day?
        /// A department id (or name) whose measures are listed first.
        public var department: String?
        /// Show resident ID numbers in full (audited separately).
        public var unmask: Bool
        /// Who is looking, for the audit log.
        public var actor: String
        public init(asOf: Day? = nil, department: String? = nil, unmask: Bool = false, actor: String = "unknown") {
            self.asOf = asOf; self.department = department; self.unmask = unmask; self.actor = actor
        }
    }

    public init(registry: Registry, decisions: any DecisionProvider = TableDecisionProvider()) {
        self.registry = registry
        self.decisions = decisions
    }

    /// Looks up `identifier` (USCC, resident ID of 18 or 15 digits, registration number,
    /// organisation code, tax number; full-width, spaced or hyphenated) and builds its report.
    /// Returns nil when no subject has that identifier. Audited in `audit`.
    public func report(for identifier: String, options: Options, audit: AuditLog) throws -> SubjectReport? {
        let (built, entries) = try lookUp(identifier, options: options)
        try audit.append(entries)
        return built
    }

    /// ``report(for:options:audit:)`` without writing the audit entries: returns them for the caller
    /// to write (a server groups many look-ups' entries into one transaction).
    public func lookUp(_ identifier: String, options: Options) throws -> (report: SubjectReport?, audit: [AuditLog.Pending]) {
        let (built, code) = try registry.read { [self] db -> (SubjectReport?, String?) in
            guard let code = try registry.lookup(identifier, in: db)?.code else { return (nil, nil) }
            return (try build(for: code, options: options, in: db), code)
        }
        let asOf = options.asOf ?? Day.today()
        let normalised = IdentifierText.normalise(identifier)
        let query = IdentityMask.looksLikeResidentID(normalised) ? IdentityMask.residentID(normalised) : normalised
        let detail = "report as-of \(asOf)" + (options.department.map { " department \($0)" } ?? "")
            + (built == nil ? " not found: \(query)" : "")
        var entries = [AuditLog.Pending(actor: options.actor, action: "lookup", subject: code, detail: detail)]
        if options.unmask && built != nil {
            entries.append(AuditLog.Pending(actor: options.actor, action: "unmask", subject: code, detail: "resident ID numbers shown in full"))
        }
        return (built, entries)
    }

    /// Builds the report inside an existing transaction, without auditing.
    public func build(for identifier: String, options: Options, in db: Database) throws -> SubjectReport? {
        guard let s = try registry.lookup(identifier, in: db) else { return nil }
        let asOf = options.asOf ?? Day.today()
        let cut = asOf.description
        let mask = !options.unmask
        func day(_ row: Row, _ col: String) throws -> Day? { try Day.stored(row[col], table: "report", column: col, row: s.code) }
        /// An end as the registry knows it: a published end after the as-of day is shown too
        /// (the decisions the report lists carry it as well); `active`/`current` say whether it had passed.
        func known(_ d: Day?) -> Day? { d }
        func code(_ c: String, kind: SubjectKind?) -> String {
            guard mask else { return c }
            if kind == .naturalPerson || (kind == nil && IdentityMask.looksLikeResidentID(c)) { return IdentityMask.residentID(c) }
            return c
        }
        var sources: [Int64: SubjectReport.Source] = [:]
        func source(_ id: Int64?) throws -> SubjectReport.Source? {
            guard let id else { return nil }
            if let s = sources[id] { return s }
            guard let row = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT r.id, r.kind, r.bureau, r.line, r.document_number, r.effective_from, r.recorded_at,
                       f.feed_id AS feed_name, f.file AS feed_file
                FROM record r LEFT JOIN feed f ON f.id = r.feed_id WHERE r.id = ?
                """), arguments: [id]) else { return nil }
            let src = SubjectReport.Source(recordID: row["id"], kind: row["kind"], bureau: row["bureau"], feed: row["feed_name"],
                                           file: row["feed_file"], line: row["line"], documentNumber: row["document_number"],
                                           effectiveFrom: try day(row, "effective_from"), recordedAt: row["recorded_at"])
            sources[id] = src
            return src
        }

        // Status as of the day, and its history up to it.
        let history = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT since, status, record_id FROM status_history WHERE subject_code = ? AND since <= ? ORDER BY since, status
            """), arguments: [s.code, cut]).compactMap { row -> SubjectReport.StatusChange? in
            guard let since = try day(row, "since"), let st = SubjectStatus(rawValue: row["status"]) else { return nil }
            return SubjectReport.StatusChange(since: since, status: st, recordID: row["record_id"])
        }
        var status = s.status, statusSince = s.statusSince
        if let last = history.last {
            status = last.status; statusSince = last.since
        } else if let since = s.statusSince, since > asOf {
            status = .active; statusSince = nil
        }
        let identity = SubjectReport.Identity(code: code(s.code, kind: s.kind), kind: s.kind, name: s.name, status: status,
                                              statusLabel: status.chinese, statusSince: statusSince,
                                              establishedOn: s.establishedOn, region: s.region, authority: s.authority)

        let aliases = try registry.aliases(of: s.code, in: db).map { a -> SubjectReport.Alias in
            let personal = a.scheme == .residentID || a.scheme == .residentID15
            return SubjectReport.Alias(scheme: a.scheme, value: personal && mask ? IdentityMask.residentID(a.value) : a.value)
        }
        let names = try registry.names(of: s.code, in: db).map { n in
            SubjectReport.Name(name: n.name, from: n.from, to: n.to, current: n.name == s.name && (n.to.map { $0 > asOf } ?? true))
        }

        func links(_ sql: String, otherColumn: String) throws -> [SubjectReport.Link] {
            try Row.fetchAll(db.cachedStatement(sql: sql), arguments: [s.code, cut]).compactMap { row in
                guard let role = RelationRole(rawValue: row["role"]), let from = try day(row, "valid_from") else { return nil }
                let kind = (row["other_kind"] as String?).flatMap(SubjectKind.init(rawValue:))
                let to = known(try day(row, "valid_to"))
                return SubjectReport.Link(role: role, code: code(row[otherColumn], kind: kind), name: row["other_name"], kind: kind,
                                          share: row["share"], from: from, to: to, current: to.map { asOf < $0 } ?? true)
            }.sorted { ($0.current ? 0 : 1, $0.role.rawValue, $0.from) < ($1.current ? 0 : 1, $1.role.rawValue, $1.from) }
        }
        let keyPersons = try links("""
            SELECT r.*, o.name AS other_name, o.kind AS other_kind FROM relation r LEFT JOIN subject o ON o.code = r.to_code
            WHERE r.from_code = ? AND r.valid_from <= ?
            """, otherColumn: "to_code")
        let related = try links("""
            SELECT r.*, o.name AS other_name, o.kind AS other_kind FROM relation r LEFT JOIN subject o ON o.code = r.from_code
            WHERE r.to_code = ? AND r.valid_from <= ?
            """, otherColumn: "from_code")

        let lists = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT * FROM list_entry WHERE subject_code = ? AND entered_on <= ? ORDER BY entered_on, list
            """), arguments: [s.code, cut]).compactMap { row -> SubjectReport.ListEntry? in
            guard let entered = try day(row, "entered_on") else { return nil }
            let exited = known(try day(row, "exited_on"))
            return SubjectReport.ListEntry(list: row["list"], enteredOn: entered, exitedOn: exited, active: exited.map { asOf < $0 } ?? true,
                                           ground: row["ground"], reason: row["reason"], authority: row["authority"],
                                           entry: try source(row["entry_record"]),
                                           exit: exited == nil ? nil : try source(row["exit_record"]))
        }
        let penalties = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT * FROM penalty WHERE subject_code = ? AND decided_on <= ? ORDER BY decided_on, document_number
            """), arguments: [s.code, cut]).compactMap { row -> SubjectReport.Penalty? in
            guard let decided = try day(row, "decided_on") else { return nil }
            let cents: Int64 = row["fine_micro_wan"] ?? 0
            return SubjectReport.Penalty(documentNumber: row["document_number"], decidedOn: decided,
                                         types: (row["types"] as String).split(separator: ";").map(String.init),
                                         fineYuan: "\(cents / 100).\(String(format: "%02lld", cents % 100))",
                                         severity: row["severity"], authority: row["authority"], publicityEnd: try day(row, "publicity_end"),
                                         repairedOn: known(try day(row, "repaired_on")), revokedOn: known(try day(row, "revoked_on")),
                                         source: try source(row["record_id"]))
        }
        let licences = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT * FROM licence WHERE subject_code = ? AND granted_on <= ? ORDER BY granted_on, number
            """), arguments: [s.code, cut]).compactMap { row -> SubjectReport.Licence? in
            guard let granted = try day(row, "granted_on") else { return nil }
            return SubjectReport.Licence(number: row["number"], type: row["type"], grantedOn: granted, validUntil: try day(row, "valid_until"),
                                         revokedOn: known(try day(row, "revoked_on")), source: try source(row["record_id"]))
        }
        let grades = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT * FROM tax_grade WHERE subject_code = ? AND published_on <= ? ORDER BY year
            """), arguments: [s.code, cut]).compactMap { row -> SubjectReport.TaxGrade? in
            guard let published = try day(row, "published_on") else { return nil }
            return SubjectReport.TaxGrade(year: row["year"], grade: row["grade"], publishedOn: published, source: try source(row["record_id"]))
        }

        let dept = options.department
        let measures = try decisions.decisions(for: s.code, asOf: asOf, in: db).map { d -> SubjectReport.Measure in
            let mine = dept.map { $0 == d.department || $0 == d.departmentName || d.cooperating.contains($0) } ?? false
            var m = SubjectReport.Measure(measure: d.measure, text: d.text, kind: d.kind, category: d.category, department: d.department,
                                         departmentName: d.departmentName, basis: d.basis, memorandum: d.memorandum, rule: d.rule,
                                         validFrom: d.validFrom, validUntil: d.validUntil, financial: d.financial,
                                         viaCode: d.viaCode.map { code($0, kind: nil) }, viaRole: d.viaRole, forDepartment: mine,
                                         causes: try d.causedBy.compactMap { try source($0) }, rulesetVersion: d.rulesetVersion)
            m.toVerify = d.toVerify
            m.cooperating = d.cooperating
            return m
        }.sorted(by: Self.measureOrder)

        return SubjectReport(asOf: asOf, department: dept, masked: mask, identity: identity, statusHistory: history,
                             aliases: aliases, names: names, keyPersons: keyPersons, relatedSubjects: related,
                             listEntries: lists, penalties: penalties, licences: licences, taxGrades: grades,
                             measures: try Self.withFeedback(measures, of: s.code, asOf: asOf, in: db))
    }

    /// The department's measures first, then punishments before incentives, then by department,
    /// measure id and start.
    static func measureOrder(_ a: SubjectReport.Measure, _ b: SubjectReport.Measure) -> Bool {
        func key(_ m: SubjectReport.Measure) -> (Int, Int, String, String, Int) {
            (m.forDepartment ? 0 : 1, m.kind == .punishment ? 0 : 1, m.department, m.measure, m.validFrom.ordinal)
        }
        return key(a) < key(b)
    }
}
