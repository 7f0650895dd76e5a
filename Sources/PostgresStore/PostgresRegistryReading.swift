import CreditQuery
import CreditRegistry
import Decisions
import Foundation
import PostgresNIO

/// ``RegistryReading`` on PostgreSQL: the measures look-up (one statement: the alias probe, the
/// subject and its decisions in force), name search over `subject_name` (the `COLLATE "C"`
/// B-tree for exact and prefix matches, the `pg_trgm` GIN index for any substring of three
/// characters or more, a bounded scan for shorter ones) ranked as ``NameSearch`` ranks, and the
/// account table.
///
/// Measures come from the materialised `decision` table. When a rule set is active, the table
/// answers for the day it was evaluated on only; another day is answered by the rule set
/// evaluated on the fly over the subject's facts (``PostgresMeasuresOnTheFly``).
public struct PostgresRegistryReading: RegistryReading {
    public let pool: PostgresSessionPool
    /// Rows scanned for 1–2 character substrings (as ``NameSearch/shortQueryScanBudget``).
    public var shortQueryScanBudget = 50_000
    /// Candidates taken per match class, as a multiple of `limit` (as ``NameSearch/candidateFactor``).
    public var candidateFactor = 5
    private let state = LockedBox<(checkedAt: Date, active: Bool, materialisedOn: String?)?>(nil)
    private let onTheFly: PostgresMeasuresOnTheFly

    public init(pool: PostgresSessionPool) {
        self.pool = pool
        onTheFly = PostgresMeasuresOnTheFly(rules: PostgresDecisionStore(pool: pool))
    }

    // MARK: - Measures

    public func lookUpMeasures(_ queries: [MeasuresQuery]) throws -> [Result<MeasuresLookup.Result?, any Error>] {
        let (active, materialisedOn) = try decisionTableState()
        return try pool.with { session in
            if queries.count == 1 { return [Result { try lookUp(queries[0], active: active, materialisedOn: materialisedOn, in: session) }] }
            return try session.transaction {
                try session.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", "start a read snapshot")
                return queries.map { q in Result { try lookUp(q, active: active, materialisedOn: materialisedOn, in: session) } }
            }
        }
    }

    /// Whether a rule set is active and the day the decision table was evaluated for (read at most once a second).
    private func decisionTableState() throws -> (Bool, String?) {
        if let s = state.value, Date().timeIntervalSince(s.checkedAt) < 1 { return (s.active, s.materialisedOn) }
        let row = try pool.with { session in
            try session.query("""
                SELECT EXISTS (SELECT 1 FROM ruleset WHERE active = 1), (SELECT max(evaluated_on COLLATE "C") FROM decision)
                """, "read the decision table's day")[0]
        }
        let (active, day) = try row.decode((Bool, String?).self)
        state.value = (Date(), active, day)
        return (active, day)
    }

    static let decisionColumns = """
        d.measure, d.rule, d.memorandum, d.kind, d.category, d.department, d.department_name, d.basis, d.text,
        d.valid_from, d.valid_until, d.financial, d.via_code, d.via_role, d.caused_by, d.ruleset_version, d.evaluated_on,
        d.to_verify, d.cooperating
        """

    private func lookUp(_ q: MeasuresQuery, active: Bool, materialisedOn: String?, in session: PostgresSession) throws -> MeasuresLookup.Result? {
        let day = q.asOf.description
        let evaluated = active && materialisedOn != day
        let value = IdentifierText.normalise(q.identifier)
        let rows = try session.query("""
            WITH s AS (SELECT s.code, s.kind, s.name, s.status FROM subject s WHERE s.code = \(value)
                       UNION ALL SELECT s.code, s.kind, s.name, s.status FROM alias a JOIN subject s ON s.code = a.subject_code
                       WHERE a.value = \(value) LIMIT 1)
            SELECT s.code, s.kind, s.name, s.status, \(unescaped: Self.decisionColumns)
            FROM s LEFT JOIN decision d ON d.subject_code = s.code AND d.valid_from <= \(day)
                AND (d.valid_until IS NULL OR d.valid_until > \(day))
            ORDER BY d.kind COLLATE "C" DESC, d.department COLLATE "C", d.measure COLLATE "C", d.valid_from COLLATE "C"
            """, "look up \(IdentityMask.forDisplay(q.identifier))")
        guard let first = rows.first else { return nil }
        let head = try first.decode((String, String, String, String).self)
        let code = head.0
        guard let kind = SubjectKind(rawValue: head.1) else { throw StoredValueError(table: "subject", column: "kind", row: code, value: head.1) }
        guard let status = SubjectStatus(rawValue: head.3) else { throw StoredValueError(table: "subject", column: "status", row: code, value: head.3) }
        var measures: [StoredDecision] = []
        if evaluated, let onDay = try onTheFly.decisions(for: code, asOf: q.asOf, in: session) {
            measures = onDay
        } else {
            for row in rows {
                let cells = Array(row)
                guard try cells[4].decode(String?.self) != nil else { continue }   // no decision: the LEFT JOIN's empty row
                measures.append(try Self.decision(code: code, cells: Array(cells[4...])))
            }
        }
        let shown = q.maySeePersonalIDs || kind != .naturalPerson ? code : IdentityMask.residentID(code)
        return MeasuresLookup.Result.found(code: shown, registryCode: code, name: head.2, kind: kind, status: status, asOf: q.asOf, measures: measures)
    }

    /// A decision from the cells of ``decisionColumns``.
    static func decision(code: String, cells c: [PostgresCell]) throws -> StoredDecision {
        func text(_ i: Int) throws -> String? { try c[i].decode(String?.self) }
        func required(_ i: Int) throws -> String {
            guard let s = try text(i) else { throw StoredValueError(table: "decision", column: c[i].columnName, row: code, value: nil) }
            return s
        }
        func day(_ i: Int) throws -> Day? {
            guard let s = try text(i) else { return nil }
            do { return try Day(s) } catch { throw StoredValueError(table: "decision", column: c[i].columnName, row: code, value: s) }
        }
        let kindText = try required(3)
        guard let kind = StoredDecision.Kind(rawValue: kindText) else { throw StoredValueError(table: "decision", column: "kind", row: code, value: kindText) }
        guard let from = try day(9) else { throw StoredValueError(table: "decision", column: "valid_from", row: code, value: nil) }
        var d = StoredDecision(subjectCode: code, measure: try required(0), rule: try required(1), memorandum: try required(2), kind: kind,
                               category: try required(4), department: try required(5), departmentName: try required(6),
                               basis: try required(7), text: try required(8), validFrom: from, validUntil: try day(10),
                               financial: (try c[11].decode(Int64.self)) != 0, viaCode: try text(12), viaRole: try text(13),
                               causedBy: ids(try required(14)), rulesetVersion: try required(15), evaluatedOn: try day(16))
        d.toVerify = list(try text(17))
        d.cooperating = list(try text(18))
        return d
    }

    /// The record ids of a JSON array of integers (`[12,40]`).
    static func ids(_ text: String) -> [Int64] {
        text.split { !$0.isNumber }.compactMap { Int64($0) }
    }

    /// A comma-separated list; empty or missing is none.
    static func list(_ text: String?) -> [String] {
        guard let text, !text.isEmpty else { return [] }
        return text.split(separator: ",").map(String.init)
    }

    // MARK: - Names

    public func searchNames(_ text: String, limit: Int, asOf: Day, unmask: Bool) throws -> [NameHit] {
        let q = NameRanking.clean(text)
        guard !q.isEmpty, limit > 0 else { return [] }
        let k = max(limit * candidateFactor, 20)
        return try pool.with { session in
            var names: [(code: String, name: String, former: Bool)] = []
            func add(_ query: PostgresQuery, _ what: String) throws {
                for row in try session.query(query, what) {
                    let (code, name, former) = try row.decode((String, String, Bool).self)
                    names.append((code, name, former))
                }
            }
            try add("""
                SELECT subject_code, name, valid_to IS NOT NULL FROM subject_name WHERE name COLLATE "C" = \(q) LIMIT \(k)
                """, "exact name search")
            let upper = q + "\u{10FFFF}"
            try add("""
                SELECT subject_code, name, valid_to IS NOT NULL FROM subject_name
                WHERE name COLLATE "C" > \(q) AND name COLLATE "C" < \(upper) ORDER BY name COLLATE "C" LIMIT \(k)
                """, "prefix name search")
            if q.unicodeScalars.count >= 3 {
                let pattern = "%" + Self.likeEscaped(q) + "%"
                try add("""
                    SELECT subject_code, name, valid_to IS NOT NULL FROM subject_name WHERE name LIKE \(pattern) LIMIT \(k)
                    """, "substring name search")
            } else {
                try add("""
                    SELECT subject_code, name, former FROM
                        (SELECT subject_code, name, valid_to IS NOT NULL AS former FROM subject_name LIMIT \(shortQueryScanBudget)) n
                    WHERE strpos(name, \(q)) > 1 LIMIT \(k)
                    """, "short name search")
            }
            let ranked = NameRanking.rank(names, query: q).prefix(limit)
            guard !ranked.isEmpty else { return [] }
            let day = asOf.description
            let codes = ranked.map(\.code)
            var subjects: [String: (String, String, String, Bool)] = [:]
            for row in try session.query("""
                SELECT s.code, s.kind, s.name, s.status, EXISTS (SELECT 1 FROM decision d WHERE d.subject_code = s.code
                    AND d.valid_from <= \(day) AND (d.valid_until IS NULL OR d.valid_until > \(day)))
                FROM subject s WHERE s.code = ANY(\(codes))
                """, "read the subjects found") {
                let (code, kind, name, status, has) = try row.decode((String, String, String, String, Bool).self)
                subjects[code] = (kind, name, status, has)
            }
            return ranked.compactMap { c in
                guard let s = subjects[c.code] else { return nil }
                let kind = SubjectKind(rawValue: s.0) ?? .other
                let code = kind == .naturalPerson && !unmask ? IdentityMask.residentID(c.code) : c.code
                return NameHit.found(code: code, kind: kind, name: s.1, matchedName: c.name, former: c.former, match: c.match,
                               status: SubjectStatus(rawValue: s.2) ?? .active, hasMeasures: s.3)
            }
        }
    }

    /// `text` with LIKE's wildcards and its escape character escaped.
    static func likeEscaped(_ text: String) -> String {
        var out = ""
        for ch in text {
            if ch == "%" || ch == "_" || ch == "\\" { out.append("\\") }
            out.append(ch)
        }
        return out
    }

    // MARK: - Accounts

    public func activeAccount(digest: String) throws -> StoredAccount? {
        try pool.with { session in
            try session.query("""
                SELECT name, role, department, token_digest, created_at, revoked_at FROM account
                WHERE token_digest = \(digest) AND revoked_at IS NULL
                """, "authenticate").first.map { row in
                let (name, role, department, tokenDigest, createdAt, revokedAt) = try row.decode((String, String, String?, String, String, String?).self)
                return StoredAccount(name: name, role: role, department: department, tokenDigest: tokenDigest, createdAt: createdAt, revokedAt: revokedAt)
            }
        }
    }
}
