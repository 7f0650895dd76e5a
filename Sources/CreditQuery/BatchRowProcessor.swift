import CreditRegistry
import Decisions
import GRDB
import GRDBSQLite

/// Codes of the subjects that have any list entry or decision, loaded once for a large file so
/// that the other rows need only their look-up.
final class KnownCodes: Sendable {
    private let lists: CodeSet
    private let decisions: CodeSet
    init(db: Database, withDecisions: Bool) throws {
        lists = CodeSet(try String.fetchAll(db, sql: "SELECT DISTINCT subject_code FROM list_entry"))
        decisions = CodeSet(withDecisions ? try String.fetchAll(db, sql: "SELECT DISTINCT subject_code FROM decision") : [])
    }
    func listed(_ code: String) -> Bool { lists.contains(code) }
    func decided(_ code: String) -> Bool { decisions.contains(code) }
}

/// A set of codes hashed as packed words (a code is up to 24 bytes), so that a membership test
/// neither hashes nor compares strings; longer codes are kept as strings.
struct CodeSet: Sendable {
    private var packed = Set<CodeKey>()
    private var long = Set<String>()

    init(_ codes: [String]) {
        packed.reserveCapacity(codes.count)
        for c in codes {
            if let k = CodeKey(c) { packed.insert(k) } else { long.insert(c) }
        }
    }

    func contains(_ code: String) -> Bool {
        if let k = CodeKey(code) { return packed.contains(k) }
        return long.contains(code)
    }
}

/// Up to 24 bytes (no NUL) in three words.
struct CodeKey: Hashable, Sendable {
    var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0

    init?(_ code: String) {
        var s = code
        var w = (UInt64(0), UInt64(0), UInt64(0))
        let fits = s.withUTF8 { u -> Bool in
            guard u.count <= 24 else { return false }
            for i in 0..<u.count {
                let b = u[i]
                if b == 0 { return false }
                let v = UInt64(b) << UInt64((i & 7) << 3)
                switch i >> 3 {
                case 0: w.0 |= v
                case 1: w.1 |= v
                default: w.2 |= v
                }
            }
            return true
        }
        guard fits else { return nil }
        (w0, w1, w2) = w
    }
}

/// Turns rows into verdicts on one read connection: prepared statements driven through the
/// SQLite C API (one probe on `alias` joined to `subject`, list and decision sub-queries in the
/// same statement), the decision provider only for subjects that have decisions.
final class BatchRowProcessor {
    let db: Database
    let layout: BatchLayout
    let codeCheck: CodeCheck
    let provider: any DecisionProvider
    let usesTable: Bool
    let asOf: Day
    let asOfText: String
    let format: BatchChecker.Format
    let headers: [String]
    let persons: BatchChecker.PersonView
    private let direct: Statement
    private let lookup: Statement
    /// With ``KnownCodes``: plain look-ups, and list and decision queries only for the codes in the sets.
    private let known: KnownCodes?
    private let lists: Statement
    private let measures: Statement
    private let formerNames: Statement

    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    init(db: Database, layout: BatchLayout, codeCheck: CodeCheck, provider: any DecisionProvider, asOf: Day,
         format: BatchChecker.Format, known: KnownCodes?, persons: BatchChecker.PersonView = .full) throws {
        self.known = known
        self.persons = persons
        self.asOfText = asOf.description
        self.db = db; self.layout = layout; self.codeCheck = codeCheck; self.provider = provider; self.asOf = asOf
        self.format = format
        usesTable = provider is TableDecisionProvider
        headers = layout.passthrough.map(\.name)
        // The status on the as-of day: the latest status change up to it (status history),
        // read only when a past or future day is asked for, to keep today's checks one probe.
        let status = asOf == Day.today() ? "s.status" : """
            COALESCE((SELECT h.status FROM status_history h WHERE h.subject_code = s.code AND h.since <= ?2
                      ORDER BY h.since DESC LIMIT 1),
                     CASE WHEN s.status_since > ?2 THEN 'active' ELSE s.status END)
            """
        let columns = """
            SELECT s.code, s.name, \(status), s.kind,
                (SELECT group_concat(list, ';') FROM (SELECT DISTINCT list FROM list_entry
                    WHERE subject_code = s.code AND entered_on <= ?2 AND (exited_on IS NULL OR exited_on > ?2) ORDER BY list)),
                EXISTS (SELECT 1 FROM decision WHERE subject_code = s.code AND valid_from <= ?2
                    AND (valid_until IS NULL OR valid_until > ?2))
            """
        let plain = "SELECT s.code, s.name, \(status), s.kind, NULL, ?2 IS NULL"
        let head = known == nil ? columns : plain
        // Most codes are registry codes: probe `subject` directly, and `alias` only when that misses.
        direct = try db.makeStatement(sql: head + " FROM subject s WHERE s.code = ?1")
        lookup = try db.makeStatement(sql: head + " FROM alias a JOIN subject s ON s.code = a.subject_code WHERE a.value = ?1 LIMIT 1")
        lists = try db.makeStatement(sql: """
            SELECT DISTINCT list FROM list_entry WHERE subject_code = ?1 AND entered_on <= ?2
                AND (exited_on IS NULL OR exited_on > ?2) ORDER BY list
            """)
        measures = try db.makeStatement(sql: """
            SELECT measure, kind, financial FROM decision WHERE subject_code = ?1 AND valid_from <= ?2
                AND (valid_until IS NULL OR valid_until > ?2) ORDER BY kind DESC, measure
            """)
        formerNames = try db.makeStatement(sql: "SELECT name FROM subject_name WHERE subject_code = ?1 AND name <> ?2")
        let day = asOf.description
        for stmt in [direct, lookup, measures, lists] { bind(stmt, 2, day) }
    }

    private func bind(_ stmt: Statement, _ index: Int32, _ text: String) {
        var t = text
        t.withUTF8 { u in
            _ = sqlite3_bind_text(stmt.sqliteStatement, index, UnsafeRawPointer(u.baseAddress)?.assumingMemoryBound(to: CChar.self),
                                  Int32(u.count), Self.transient)
        }
    }

    private func text(_ stmt: Statement, _ column: Int32) -> String? {
        let s = stmt.sqliteStatement
        guard let p = sqlite3_column_text(s, column) else { return nil }
        return String(decoding: UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(s, column))), as: UTF8.self)
    }

    private func step(_ stmt: Statement) throws -> Bool {
        let rc = sqlite3_step(stmt.sqliteStatement)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw BatchError(message: "database error \(rc): \(String(cString: sqlite3_errmsg(db.sqliteConnection)))")
    }

    /// Counts of one batch, added up for the summary.
    struct Tally { var rows = 0, valid = 0, found = 0, flagged = 0, errors = 0 }

    /// Appends the verdict on one parsed row to `out`.
    func process(_ row: ParsedRow, into out: inout BatchOutput, tally: inout Tally) throws {
        var v = BatchVerdict(row: row.number, input: [:], code: nil, codeValid: false, codeProblem: row.codeProblem, found: false,
                             registeredName: nil, nameMatch: nil, nameScore: nil, status: nil, lists: [], punishments: [], incentives: [],
                             financialMeasures: [], flagged: true, asOf: asOf, error: row.error)
        defer {
            tally.rows += 1
            if v.codeValid { tally.valid += 1 }
            if v.found { tally.found += 1 }
            if v.flagged { tally.flagged += 1 }
            if v.error != nil { tally.errors += 1 }
            switch format {
            case .csv: out.csv(v, inputs: row.inputs, asOf: asOfText)
            case .json: out.json(v, headers: headers, inputs: row.inputs, asOf: asOfText)
            }
        }
        guard let check = row.check else { return }
        let given = row.given
        v.codeValid = check.valid
        v.codeProblem = check.reason
        var shownCode = check.normalised
        var isPerson = IdentityMask.looksLikeResidentID(check.normalised)

        // One probe: alias → subject, with lists in force and whether any decision is in force.
        bind(direct, 1, check.normalised)
        defer { sqlite3_reset(direct.sqliteStatement); sqlite3_reset(lookup.sqliteStatement) }
        var hit = try step(direct) ? direct : nil
        if hit == nil {
            bind(lookup, 1, check.normalised)
            hit = try step(lookup) ? lookup : nil
        }
        if let lookup = hit {
            v.found = true
            let code = text(lookup, 0) ?? check.normalised
            let name = text(lookup, 1) ?? ""
            let kind = text(lookup, 3).flatMap(SubjectKind.init(rawValue:)) ?? .other
            let person = kind == .naturalPerson
            isPerson = person
            shownCode = code
            if person { shownCode = IdentityMask.residentID(code) }
            v.status = text(lookup, 2)
            v.registeredName = person ? IdentityMask.personName(name) : name
            var hasDecisions = sqlite3_column_int(lookup.sqliteStatement, 5) != 0
            if let known {
                hasDecisions = known.decided(code)
                if known.listed(code) {
                    bind(lists, 1, code)
                    defer { sqlite3_reset(lists.sqliteStatement) }
                    while try step(lists) { if let l = text(lists, 0) { v.lists.append(l) } }
                }
            } else if let lists = text(lookup, 4) {
                v.lists = lists.split(separator: ";").map(String.init)
            }
            sqlite3_reset(lookup.sqliteStatement)

            if let given, !given.isEmpty {
                var (match, score) = NameMatcher.compare(given, name)
                if match.looksForFormerNames {
                    let g = NameMatcher.normalise(given)
                    bind(formerNames, 1, code); bind(formerNames, 2, name)
                    defer { sqlite3_reset(formerNames.sqliteStatement) }
                    while try step(formerNames) {
                        if let former = text(formerNames, 0), NameMatcher.normalise(former) == g { match = .former; score = 1; break }
                    }
                }
                v.nameMatch = match; v.nameScore = score
            } else {
                v.nameMatch = .absent
            }

            if usesTable {
                if hasDecisions {
                    bind(measures, 1, code)
                    defer { sqlite3_reset(measures.sqliteStatement) }
                    while try step(measures) {
                        let id = text(measures, 0) ?? ""
                        if text(measures, 1) == StoredDecision.Kind.incentive.rawValue { v.incentives.append(id) } else { v.punishments.append(id) }
                        if sqlite3_column_int(measures.sqliteStatement, 2) != 0 { v.financialMeasures.append(id) }
                    }
                }
            } else {
                for d in try provider.decisions(for: code, asOf: asOf, in: db) {
                    if d.kind == .incentive { v.incentives.append(d.measure) } else { v.punishments.append(d.measure) }
                    if d.financial { v.financialMeasures.append(d.measure) }
                }
            }
        } else if IdentityMask.looksLikeResidentID(check.normalised) {
            shownCode = IdentityMask.residentID(check.normalised)
        }
        v.code = shownCode
        if persons == .financial && isPerson {
            Self.restrictToFinancial(&v)
        }
        v.flagged = !v.codeValid || !v.found || v.error != nil || v.nameMatch == .different || !v.punishments.isEmpty
            || !v.lists.isEmpty || (v.status.map { $0 != SubjectStatus.active.rawValue } ?? false)
    }

    /// A person's verdict for a financial institution: no registered name and no name
    /// comparison (which would confirm a name for an ID), only the measures that concern
    /// financial institutions; public list memberships stay.
    static func restrictToFinancial(_ v: inout BatchVerdict) {
        v.registeredName = nil; v.nameMatch = nil; v.nameScore = nil
        let financial = Set(v.financialMeasures)
        v.punishments = v.punishments.filter(financial.contains)
        v.incentives = v.incentives.filter(financial.contains)
    }
}
