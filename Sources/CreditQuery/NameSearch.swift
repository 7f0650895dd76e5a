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
/// Ranking, for every query length: exact matches, then prefix matches, then other substrings;
/// within a class current names before former names, then the match nearer the start, then the
/// shorter name, then the name and the code in byte order (positions and lengths in Unicode
/// scalars). One hit per subject (its best match); `offset` skips the first ranked hits.
///
/// - 1 or 2 characters: the short-query index (``NameGramIndex``) holds every name's characters
///   and character pairs in exactly this order, so the hits are the first rows of one index
///   range (`offset + limit` subjects read, whatever the registry's size). When a gram's stored
///   head runs out before enough subjects are found (deep pages of a very common character), the
///   names are scanned: slower, the same ranking.
/// - 3 characters or more, every class is a bounded candidate set, so the cost does not grow with
///   the number of hits:
///   - exact: the `name_index(name)` index, at most `k` = ``candidateFactor`` × (`offset` +
///     `limit`) rows;
///   - prefix: a range on the same index (`name > q AND name < q || U+10FFFF`), at most `k` rows
///     in name order;
///   - substring: the FTS5 trigram index. A trigram found in most names (限公司) would make a
///     phrase query read most of its doclist, so the two rarest trigrams of the query drive the
///     index (`"天行科" AND "行科技"`, rarity from `name_trigram_common`, a sampled statistic) and
///     the substring is verified with `instr` over at most 20 × `k` candidates; when every
///     trigram is common (有限公司) the phrase itself is used, whose hits are so many that `LIMIT`
///     stops it at once. No `ORDER BY rank`.
///   The hits are ranked exactly when each class has at most `k` matches (always the case for
///   distinctive queries); for a very common substring they are the best of the candidates read.
public struct NameSearch: Sendable {
    public let registry: Registry
    /// Candidates taken per class for ranking longer queries, as a multiple of `offset + limit`.
    public var candidateFactor = 5

    public init(registry: Registry) { self.registry = registry }

    /// Searches in a read transaction. `asOf` decides ``NameHit/hasMeasures``.
    public func search(_ text: String, limit: Int = 20, offset: Int = 0, asOf: Day? = nil, unmask: Bool = false) throws -> [NameHit] {
        try registry.read { db in try search(text, limit: limit, offset: offset, asOf: asOf, unmask: unmask, in: db) }
    }

    /// ``search(_:limit:offset:asOf:unmask:)`` inside an existing transaction.
    public func search(_ text: String, limit: Int = 20, offset: Int = 0, asOf: Day? = nil, unmask: Bool = false,
                       in db: Database) throws -> [NameHit] {
        let q = Self.clean(text)
        guard !q.isEmpty, limit > 0 else { return [] }
        let wanted = max(0, offset) + limit
        let ranked = q.unicodeScalars.count <= 2
            ? try Self.shortQuery(q, wanted: wanted, in: db)
            : try longQuery(q, wanted: wanted, in: db)
        let page = ranked.dropFirst(max(0, offset)).prefix(limit)
        let day = (asOf ?? Day.today()).description
        let subjectStmt = try db.cachedStatement(sql: """
            SELECT kind, name, status, EXISTS (SELECT 1 FROM decision d WHERE d.subject_code = s.code AND d.valid_from <= ?2
                AND (d.valid_until IS NULL OR d.valid_until > ?2)) FROM subject s WHERE code = ?1
            """)
        return try page.compactMap { c in
            guard let row = try Row.fetchOne(subjectStmt, arguments: [c.code, day]) else { return nil }
            let kind = SubjectKind(rawValue: row[0]) ?? .other
            let code = kind == .naturalPerson && !unmask ? IdentityMask.residentID(c.code) : c.code
            let status: String = row[2]
            return NameHit(code: code, kind: kind, name: row[1], matchedName: c.name, former: c.former, match: c.match,
                           status: SubjectStatus(rawValue: status) ?? .active, hasMeasures: row[3])
        }
    }

    /// A matched name with its rank.
    struct Candidate {
        var code: String
        var name: String
        var former: Bool
        var match: NameHit.Match
        var position: Int
        var length: Int

        /// The search ranking (see ``NameSearch``).
        static func precedes(_ a: Candidate, _ b: Candidate) -> Bool {
            if a.match != b.match { return a.match < b.match }
            if a.former != b.former { return !a.former }
            if a.position != b.position { return a.position < b.position }
            if a.length != b.length { return a.length < b.length }
            if a.name != b.name { return a.name.utf8.lexicographicallyPrecedes(b.name.utf8) }
            return a.code.utf8.lexicographicallyPrecedes(b.code.utf8)
        }

        /// The candidate for `name` if it contains `query` (given as scalars).
        init?(code: String, name: String, former: Bool, query: [Unicode.Scalar]) {
            let h = Array(name.unicodeScalars)
            guard let p = NameSearch.firstPosition(of: query, in: h) else { return nil }
            self.code = code; self.name = name; self.former = former; self.position = p; self.length = h.count
            match = p > 0 ? .substring : h.count == query.count ? .exact : .prefix
        }

        init(code: String, name: String, former: Bool, match: NameHit.Match, position: Int, length: Int) {
            self.code = code; self.name = name; self.former = former; self.match = match; self.position = position; self.length = length
        }
    }

    static func firstPosition(of needle: [Unicode.Scalar], in haystack: [Unicode.Scalar]) -> Int? {
        guard let first = needle.first, needle.count <= haystack.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i] == first {
            if haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
        }
        return nil
    }

    /// One hit per subject, its best; all of them ranked.
    static func bestPerSubject(_ candidates: [Candidate]) -> [Candidate] {
        var best: [String: Candidate] = [:]
        for c in candidates {
            if let old = best[c.code], !Candidate.precedes(c, old) { continue }
            best[c.code] = c
        }
        return best.values.sorted(by: Candidate.precedes)
    }

    /// The first `wanted` subjects for a 1–2 character query, from the short-query index.
    static func shortQuery(_ q: String, wanted: Int, in db: Database) throws -> [Candidate] {
        let rows = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT class, former, position, length, name, subject_code FROM name_gram WHERE gram = ?
            ORDER BY class, former, position, length, name, subject_code
            """), arguments: [q])
        var seen = Set<String>()
        var out: [Candidate] = []
        while out.count < wanted, let row = try rows.next() {
            let code: String = row[5]
            guard seen.insert(code).inserted else { continue }   // later rows of a subject rank lower
            let cls: Int = row[0]
            out.append(Candidate(code: code, name: row[4], former: row[1], match: cls == 0 ? .exact : cls == 1 ? .prefix : .substring,
                                 position: row[2], length: row[3]))
        }
        if out.count < wanted,
           try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM name_gram_cut WHERE gram = ?)"), arguments: [q]) == true {
            return try scan(q, wanted: wanted, in: db)
        }
        return out
    }

    /// Every name containing `q`, ranked: the fallback when the index holds too few.
    static func scan(_ q: String, wanted: Int, in db: Database) throws -> [Candidate] {
        let needle = Array(q.unicodeScalars)
        var candidates: [Candidate] = []
        let rows = try Row.fetchCursor(db, sql: "SELECT subject_code, name, former FROM name_index WHERE instr(name, ?) > 0", arguments: [q])
        while let row = try rows.next() {
            if let c = Candidate(code: row[0], name: row[1], former: row[2], query: needle) { candidates.append(c) }
        }
        return Array(bestPerSubject(candidates).prefix(wanted))
    }

    /// Bounded candidate sets per class for a query of 3 characters or more (see the type's summary).
    func longQuery(_ q: String, wanted: Int, in db: Database) throws -> [Candidate] {
        let k = max(wanted * candidateFactor, 20)
        let needle = Array(q.unicodeScalars)
        var rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT subject_code, name, former FROM name_index WHERE name = ? LIMIT ?
            """), arguments: [q, k])
        rows += try Row.fetchAll(db.cachedStatement(sql: """
            SELECT subject_code, name, former FROM name_index WHERE name > ?1 AND name < ?1 || char(1114111) ORDER BY name LIMIT ?2
            """), arguments: [q, k])
        let plan = try Self.matchPlan(for: q, in: db)
        if plan.verified {
            // Rare trigrams drive the index; the substring itself is verified, over a bounded candidate set.
            rows += try Row.fetchAll(db.cachedStatement(sql: """
                SELECT n.subject_code, n.name, n.former FROM
                    (SELECT rowid AS id FROM name_fts WHERE name_fts MATCH ?1 LIMIT ?3) f
                JOIN name_index n ON n.id = f.id WHERE instr(n.name, ?4) > 0 LIMIT ?2
                """), arguments: [plan.match, k, k * 20, q])
        } else {
            rows += try Row.fetchAll(db.cachedStatement(sql: """
                SELECT n.subject_code, n.name, n.former FROM
                    (SELECT rowid AS id FROM name_fts WHERE name_fts MATCH ?1 LIMIT ?2) f
                JOIN name_index n ON n.id = f.id
                """), arguments: [plan.match, k])
        }
        let candidates = rows.compactMap { Candidate(code: $0[0], name: $0[1], former: $0[2], query: needle) }
        return Array(Self.bestPerSubject(candidates).prefix(wanted))
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
        let chars = Array(q.unicodeScalars)
        if chars.count <= 3 { return (quoted(q), false) }
        let grams = Array(Set((0...(chars.count - 3)).map { String(String.UnicodeScalarView(chars[$0..<($0 + 3)])) }))
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

    /// Trims the query and removes control characters.
    static func clean(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }))
            .trimmingCharacters(in: .whitespaces)
    }

}
