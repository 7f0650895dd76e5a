import CreditRegistry
import Decisions
import Foundation
import GRDB

/// Ranked search over current and former names.
///
/// ```swift
/// let hits = try NameSearch(registry: registry).search("某某科技", limit: 10)
/// hits.first?.match   // .exact, .prefix or .substring
/// ```
///
/// Ranking: exact matches, then prefix matches, then other substrings; within a class current
/// names before former names, then the match nearer the start, then the shorter name, then the
/// name and code. One hit per subject (its best match).
///
/// Every class is a bounded candidate set, so the cost does not grow with the number of hits:
/// - exact: the `name_index(name)` index, at most `limit` rows;
/// - prefix: a range on the same index (`name > q AND name < q || U+10FFFF`), at most
///   ``candidateFactor`` × `limit` rows in name order;
/// - substring, 3 characters or more: the FTS5 trigram index. A trigram found in most names
///   (限公司) would make a phrase query read most of its doclist, so the two rarest trigrams of
///   the query drive the index (`"天行科" AND "行科技"`, rarity from `name_trigram_common`, a
///   sampled statistic) and the substring is verified with `instr` over at most 20 ×
///   ``candidateFactor`` × `limit` candidates; when every trigram is common (有限公司) the phrase
///   itself is used, whose hits are so many that `LIMIT` stops it at once. No `ORDER BY rank`;
/// - substring, 1 or 2 characters: the trigram index cannot answer these, so the first
///   ``shortQueryScanBudget`` rows of `name_index` are scanned with `instr`, stopping at
///   ``candidateFactor`` × `limit` hits. Exact and prefix hits are complete; substring hits of
///   short queries are a sample (the search box asks for a third character).
public struct NameSearch: Sendable {
    public let registry: Registry
    /// Candidates taken per class for ranking, as a multiple of `limit`.
    public var candidateFactor = 5
    /// Rows scanned for 1–2 character substrings (see above).
    public var shortQueryScanBudget = 50_000

    public init(registry: Registry) { self.registry = registry }

    /// Searches in a read transaction. `asOf` decides ``NameHit/hasMeasures``.
    public func search(_ text: String, limit: Int = 20, asOf: Day? = nil, unmask: Bool = false) throws -> [NameHit] {
        try registry.read { db in try search(text, limit: limit, asOf: asOf, unmask: unmask, in: db) }
    }

    /// ``search(_:limit:asOf:unmask:)`` inside an existing transaction.
    public func search(_ text: String, limit: Int = 20, asOf: Day? = nil, unmask: Bool = false, in db: Database) throws -> [NameHit] {
        let q = Self.clean(text)
        guard !q.isEmpty, limit > 0 else { return [] }
        let k = max(limit * candidateFactor, 20)
        struct Candidate { var code: String; var name: String; var former: Bool; var match: NameHit.Match; var position: Int }
        var best: [String: Candidate] = [:]
        func consider(_ c: Candidate) {
            if let old = best[c.code], Self.key(old.match, old.former, old.position, old.name, "") <= Self.key(c.match, c.former, c.position, c.name, "") { return }
            best[c.code] = c
        }
        func position(of needle: String, in name: String) -> Int {
            guard let r = name.range(of: needle) else { return Int.max }
            return name.distance(from: name.startIndex, to: r.lowerBound)
        }

        for row in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT subject_code, name, former FROM name_index WHERE name = ? LIMIT ?
            """), arguments: [q, k]) {
            consider(Candidate(code: row[0], name: row[1], former: row[2], match: .exact, position: 0))
        }
        for row in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT subject_code, name, former FROM name_index WHERE name > ?1 AND name < ?1 || char(1114111) ORDER BY name LIMIT ?2
            """), arguments: [q, k]) {
            consider(Candidate(code: row[0], name: row[1], former: row[2], match: .prefix, position: 0))
        }
        let substrings: [Row]
        if q.count >= 3 {
            let plan = try Self.matchPlan(for: q, in: db)
            if plan.verified {
                // Rare trigrams drive the index; the substring itself is verified, over a bounded candidate set.
                substrings = try Row.fetchAll(db.cachedStatement(sql: """
                    SELECT n.subject_code, n.name, n.former FROM
                        (SELECT rowid AS id FROM name_fts WHERE name_fts MATCH ?1 LIMIT ?3) f
                    JOIN name_index n ON n.id = f.id WHERE instr(n.name, ?4) > 0 LIMIT ?2
                    """), arguments: [plan.match, k, k * 20, q])
            } else {
                substrings = try Row.fetchAll(db.cachedStatement(sql: """
                    SELECT n.subject_code, n.name, n.former FROM
                        (SELECT rowid AS id FROM name_fts WHERE name_fts MATCH ?1 LIMIT ?2) f
                    JOIN name_index n ON n.id = f.id
                    """), arguments: [plan.match, k])
            }
        } else {
            substrings = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT subject_code, name, former FROM
                    (SELECT subject_code, name, former FROM name_index ORDER BY id LIMIT ?3)
                WHERE instr(name, ?1) > 1 LIMIT ?2
                """), arguments: [q, k, shortQueryScanBudget])
        }
        for row in substrings {
            let name: String = row[1]
            let pos = position(of: q, in: name)
            guard pos != Int.max else { continue }
            consider(Candidate(code: row[0], name: name, former: row[2], match: pos == 0 ? (name == q ? .exact : .prefix) : .substring, position: pos))
        }

        let ranked = best.values.sorted {
            Self.key($0.match, $0.former, $0.position, $0.name, $0.code) < Self.key($1.match, $1.former, $1.position, $1.name, $1.code)
        }.prefix(limit)
        let day = (asOf ?? Day.today()).description
        let subjectStmt = try db.cachedStatement(sql: """
            SELECT kind, name, status, EXISTS (SELECT 1 FROM decision d WHERE d.subject_code = s.code AND d.valid_from <= ?2
                AND (d.valid_until IS NULL OR d.valid_until > ?2)) FROM subject s WHERE code = ?1
            """)
        return try ranked.compactMap { c in
            guard let row = try Row.fetchOne(subjectStmt, arguments: [c.code, day]) else { return nil }
            let kind = SubjectKind(rawValue: row[0]) ?? .other
            let code = kind == .naturalPerson && !unmask ? IdentityMask.residentID(c.code) : c.code
            let status: String = row[2]
            return NameHit(code: code, kind: kind, name: row[1], matchedName: c.name, former: c.former, match: c.match,
                           status: SubjectStatus(rawValue: status) ?? .active, hasMeasures: row[3])
        }
    }

    /// Trigrams common in Chinese organisation names, used when no statistics were gathered.
    static let fallbackCommon: Set<String> = {
        var set = Set<String>()
        for word in ["有限公司", "股份有限公司", "有限责任公司", "合伙企业", "有限合伙", "分公司", "集团有限", "经营部", "专业合作社"] {
            let c = Array(word)
            if c.count >= 3 { for i in 0...(c.count - 3) { set.insert(String(c[i..<(i + 3)])) } }
        }
        return set
    }()

    /// The FTS5 query for a substring of 3 or more characters: its two rarest trigrams joined by
    /// AND (`verified`: the caller checks the substring), or the whole phrase when every trigram
    /// is common (then hits are plentiful and `LIMIT` ends the scan early).
    static func matchPlan(for q: String, in db: Database) throws -> (match: String, verified: Bool) {
        func quoted(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        let chars = Array(q)
        if chars.count == 3 { return (quoted(q), false) }
        let grams = Array(Set((0...(chars.count - 3)).map { String(chars[$0..<($0 + 3)]) }))
        let stmt = try db.cachedStatement(sql: "SELECT share FROM name_trigram_common WHERE term = ?")
        var rare: [(String, Double)] = []
        for g in grams where !fallbackCommon.contains(g) {
            let share = try Double.fetchOne(stmt, arguments: [g]) ?? 0
            if share < 0.01 { rare.append((g, share)) }
        }
        guard !rare.isEmpty else { return (quoted(q), false) }
        rare.sort { ($0.1, $0.0) < ($1.1, $1.0) }
        return (rare.prefix(2).map { quoted($0.0) }.joined(separator: " AND "), true)
    }

    static func key(_ m: NameHit.Match, _ former: Bool, _ position: Int, _ name: String, _ code: String) -> (Int, Int, Int, Int, String, String) {
        (m.order, former ? 1 : 0, position, name.count, name, code)
    }

    /// Trims the query and removes control characters.
    static func clean(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }))
            .trimmingCharacters(in: .whitespaces)
    }

}
