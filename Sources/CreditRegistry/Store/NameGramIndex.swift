import GRDB
import GRDBSQLite

/// The index behind one- and two-character name searches (`name_gram`): for every character
/// and every pair of adjacent characters of a searchable name, one posting at its first
/// occurrence, keyed in search rank order — match class (0 the whole name, 1 at the start,
/// 2 further in), former name, position, length, name, subject code — so that the best hits
/// of a short query are the first rows of one index range.
///
/// Each gram keeps only the head of its posting list: a rebuild keeps the first ``keep``
/// postings of a gram and marks it in `name_gram_cut`. The stored postings of a cut gram are
/// always every posting up to the last one stored, so a query that finds enough subjects among
/// them has its exact top hits; one that runs out falls back to scanning the names. Triggers on
/// `name_index` keep the postings in step in the writing transaction: a cut gram takes a new
/// posting only when it ranks before the gram's last stored one, which then leaves the
/// list (its size stays); a list that is not cut takes new postings until it holds
/// ``defaultKeep`` and is cut then; deleted and changed names remove theirs (a cut list that
/// shrank is refilled by a rebuild). ``trim(keep:in:)`` cuts lists that have grown long.
///
/// Positions and lengths count Unicode scalars, as SQLite's `length`, `substr` and `instr` do;
/// grams starting past ``maxPosition`` are not indexed (names are far shorter).
public enum NameGramIndex {
    /// Postings a rebuild keeps per gram.
    public static let defaultKeep = 256
    /// Characters of a name indexed (positions 0 ..< maxPosition).
    public static let maxPosition = 1024

    /// The schema of migration `v8-short-name-search`.
    static let schema = """
        CREATE TABLE name_gram (
            gram TEXT NOT NULL,             -- one or two characters
            class INTEGER NOT NULL,         -- 0 the name is the gram, 1 the name starts with it, 2 it occurs further in
            former INTEGER NOT NULL,
            position INTEGER NOT NULL,      -- of the first occurrence, in characters from 0
            length INTEGER NOT NULL,        -- of the name, in characters
            name TEXT NOT NULL,
            subject_code TEXT NOT NULL,
            PRIMARY KEY (gram, class, former, position, length, name, subject_code)
        ) WITHOUT ROWID;
        -- Grams whose stored postings are only the head of their list.
        CREATE TABLE name_gram_cut (gram TEXT PRIMARY KEY) WITHOUT ROWID;
        -- 1 … maxPosition: the character positions the triggers split a name at.
        CREATE TABLE name_gram_offset (i INTEGER PRIMARY KEY);
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(maxPosition))
            INSERT INTO name_gram_offset SELECT i FROM n;
        """

    /// The grams of `row.name` at their first occurrence, with position and class.
    private static func grams(_ row: String) -> String {
        """
        SELECT substr(\(row).name, o.i, 1) AS gram, o.i - 1 AS position,
               CASE WHEN o.i > 1 THEN 2 WHEN length(\(row).name) = 1 THEN 0 ELSE 1 END AS class
            FROM name_gram_offset o
            WHERE o.i <= length(\(row).name) AND instr(\(row).name, substr(\(row).name, o.i, 1)) = o.i
        UNION ALL
        SELECT substr(\(row).name, o.i, 2), o.i - 1,
               CASE WHEN o.i > 1 THEN 2 WHEN length(\(row).name) = 2 THEN 0 ELSE 1 END
            FROM name_gram_offset o
            WHERE o.i < length(\(row).name) AND instr(\(row).name, substr(\(row).name, o.i, 2)) = o.i
        """
    }

    /// Stores the postings of `row`'s name so that every list stays exact and small: a list that
    /// is not cut takes every posting until it holds ``defaultKeep``, and is cut then; a cut list
    /// takes a posting only when it ranks before the list's last one, which then leaves the list.
    private static func insertPostings(_ row: String) -> String {
        let key = "(g.class, \(row).former, g.position, length(\(row).name), \(row).name, \(row).subject_code)"
        let order = "ORDER BY x.class DESC, x.former DESC, x.position DESC, x.length DESC, x.name DESC, x.subject_code DESC LIMIT 1"
        let last = "(SELECT x.class, x.former, x.position, x.length, x.name, x.subject_code FROM name_gram x WHERE x.gram = g.gram \(order))"
        func lastColumn(_ c: String) -> String { "(SELECT x.\(c) FROM name_gram x WHERE x.gram = g.gram \(order))" }
        let cut = "EXISTS (SELECT 1 FROM name_gram_cut c WHERE c.gram = g.gram)"
        let stored = "(SELECT count(*) FROM (SELECT 1 FROM name_gram x WHERE x.gram = g.gram LIMIT \(defaultKeep)))"
        let inserted = """
            EXISTS (SELECT 1 FROM name_gram y WHERE (y.gram, y.class, y.former, y.position, y.length, y.name, y.subject_code)
                    = (g.gram, g.class, \(row).former, g.position, length(\(row).name), \(row).name, \(row).subject_code))
            """
        return """
            INSERT OR IGNORE INTO name_gram_cut (gram)
                SELECT g.gram FROM (\(grams(row))) g WHERE NOT \(cut) AND \(stored) >= \(defaultKeep);
            INSERT OR IGNORE INTO name_gram (gram, class, former, position, length, name, subject_code)
                SELECT g.gram, g.class, \(row).former, g.position, length(\(row).name), \(row).name, \(row).subject_code
                FROM (\(grams(row))) g
                WHERE (NOT \(cut) AND \(stored) < \(defaultKeep)) OR \(key) < \(last);
            DELETE FROM name_gram WHERE (gram, class, former, position, length, name, subject_code) IN
                (SELECT g.gram, \(["class", "former", "position", "length", "name", "subject_code"].map(lastColumn).joined(separator: ", "))
                 FROM (\(grams(row))) g WHERE \(cut) AND \(inserted));
            """
    }

    private static func deletePostings(_ row: String) -> String {
        """
        DELETE FROM name_gram WHERE (gram, class, former, position, length, name, subject_code) IN
            (SELECT g.gram, g.class, \(row).former, g.position, length(\(row).name), \(row).name, \(row).subject_code
             FROM (\(grams(row))) g);
        """
    }

    /// The triggers that keep `name_gram` in step with `name_index`.
    static let triggers = """
        CREATE TRIGGER IF NOT EXISTS name_gram_ai AFTER INSERT ON name_index BEGIN
            \(insertPostings("new"))
        END;
        CREATE TRIGGER IF NOT EXISTS name_gram_au AFTER UPDATE OF subject_code, name, former ON name_index BEGIN
            \(deletePostings("old"))
            \(insertPostings("new"))
        END;
        CREATE TRIGGER IF NOT EXISTS name_gram_ad AFTER DELETE ON name_index BEGIN
            \(deletePostings("old"))
        END;
        """

    static let triggerNames = ["name_gram_ai", "name_gram_au", "name_gram_ad"]

    /// One posting while rebuilding: the rank key (class, former, position, length packed),
    /// then the row's rank in (name, subject code) byte order, so that postings compare as two
    /// integers.
    struct Posting {
        var packed: UInt64
        var row: UInt32

        static func < (a: Posting, b: Posting) -> Bool {
            a.packed != b.packed ? a.packed < b.packed : a.row < b.row
        }
    }

    struct GramList {
        var postings: [Posting] = []
        var cut = false
        /// With `cut`: the last kept posting; later ones are not kept.
        var bound: Posting?
    }

    /// Rebuilds `name_gram` from `name_index`, keeping the first `keep` postings of each gram.
    public static func rebuild(keep: Int = defaultKeep, in db: Database) throws {
        try write(postings(of: try names(in: db), keep: keep), in: db)
    }

    /// Every row of `name_index` (one scan in storage order).
    struct Names: Sendable {
        var codes: [String] = []
        var names: [String] = []
        var former: [Bool] = []
    }

    /// The postings a rebuild writes: the names and codes in (name, code) byte order (a
    /// posting's row number is its place there), and each gram's kept list, grams in byte order.
    struct Postings: Sendable {
        var names: [String]
        var codes: [String]
        var grams: [(text: String, list: GramList)]
    }

    /// Reads `name_index`, in storage order: one sequential scan (reading it in name order went
    /// through the name index and a table seek per row).
    static func names(in db: Database) throws -> Names {
        var rows = Names()
        let query = try db.makeStatement(sql: "SELECT subject_code, name, former FROM name_index")
        let select = query.sqliteStatement
        while true {
            let rc = sqlite3_step(select)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
            rows.codes.append(sqlite3_column_text(select, 0).map { String(cString: $0) } ?? "")
            rows.names.append(sqlite3_column_text(select, 1).map { String(cString: $0) } ?? "")
            rows.former.append(sqlite3_column_int64(select, 2) != 0)
        }
        withExtendedLifetime(query) {}
        return rows
    }

    /// The postings of `rows`, keeping the first `keep` of each gram. Pure: runs on any thread.
    static func postings(of rows: Names, keep: Int) -> Postings {
        let keep = max(1, keep)
        // Rows in (name, code) byte order, as SQLite's BINARY collation orders them: a row's
        // number is its rank among equal rank keys.
        let order = rows.names.indices.sorted { a, b in
            let (na, nb) = (rows.names[a], rows.names[b])
            // Bytes, not `String ==` (which equates two Unicode forms that SQLite keeps apart).
            if !na.utf8.elementsEqual(nb.utf8) { return na.utf8.lexicographicallyPrecedes(nb.utf8) }
            return rows.codes[a].utf8.lexicographicallyPrecedes(rows.codes[b].utf8)
        }
        var names: [String] = [], codes: [String] = []
        names.reserveCapacity(order.count); codes.reserveCapacity(order.count)
        var slots: [UInt64: Int] = [:]
        var lists: [GramList] = []
        func add(_ gram: UInt64, _ p: Posting) {
            if let slot = slots[gram] {
                lists[slot].append(p, keep: keep)
            } else {
                slots[gram] = lists.count
                lists.append(GramList(postings: [p]))
            }
        }
        var scalars: [UInt32] = []
        var seen: [UInt64] = []
        for i in order {
            let name = rows.names[i]
            let former = rows.former[i]
            let row = UInt32(names.count)
            names.append(name); codes.append(rows.codes[i])
            scalars.removeAll(keepingCapacity: true)
            var length = 0
            for u in name.unicodeScalars {
                if length <= maxPosition { scalars.append(u.value) }
                length += 1
            }
            // Names are short: a linear scan finds a gram's earlier occurrence.
            seen.removeAll(keepingCapacity: true)
            for i in 0..<min(scalars.count, maxPosition) {
                let uni = UInt64(scalars[i]) << 32 | noScalar
                if !seen.contains(uni) {
                    seen.append(uni)
                    add(uni, Posting(packed: pack(i == 0 ? (length == 1 ? 0 : 1) : 2, former, i, length), row: row))
                }
                if i + 1 < scalars.count {
                    let bi = UInt64(scalars[i]) << 32 | UInt64(scalars[i + 1])
                    if !seen.contains(bi) {
                        seen.append(bi)
                        add(bi, Posting(packed: pack(i == 0 ? (length == 2 ? 0 : 1) : 2, former, i, length), row: row))
                    }
                }
            }
        }
        var grams = slots.map { (slot: $0.value, text: gramText($0.key)) }
        grams.sort { $0.text.utf8.lexicographicallyPrecedes($1.text.utf8) }
        return Postings(names: names, codes: codes, grams: grams.map { g in
            var list = lists[g.slot]
            lists[g.slot] = GramList()
            list.finish(keep: keep)
            return (g.text, list)
        })
    }

    /// Replaces `name_gram` and `name_gram_cut` with `postings`, inserted in key order.
    static func write(_ postings: Postings, in db: Database) throws {
        try db.execute(sql: "DELETE FROM name_gram; DELETE FROM name_gram_cut")
        let insert = try db.makeStatement(sql: """
            INSERT INTO name_gram (gram, class, former, position, length, name, subject_code) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        let cut = try db.makeStatement(sql: "INSERT INTO name_gram_cut (gram) VALUES (?)")
        // Millions of rows: bound and stepped through the C API, in key order.
        let stmt = insert.sqliteStatement
        func bind(_ index: Int32, _ text: String) {
            var t = text
            t.withUTF8 { u in
                _ = sqlite3_bind_text(stmt, index, UnsafeRawPointer(u.baseAddress)?.assumingMemoryBound(to: CChar.self),
                                      Int32(u.count), transient)
            }
        }
        for g in postings.grams {
            bind(1, g.text)
            for p in g.list.postings {
                let (cls, former, position, length) = unpack(p.packed)
                sqlite3_bind_int64(stmt, 2, Int64(cls)); sqlite3_bind_int64(stmt, 3, Int64(former))
                sqlite3_bind_int64(stmt, 4, Int64(position)); sqlite3_bind_int64(stmt, 5, Int64(length))
                bind(6, postings.names[Int(p.row)]); bind(7, postings.codes[Int(p.row)])
                let rc = sqlite3_step(stmt)
                sqlite3_reset(stmt)
                guard rc == SQLITE_DONE else {
                    throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                }
            }
            if g.list.cut { try cut.execute(arguments: [g.text]) }
        }
        withExtendedLifetime(insert) {}
    }

    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    /// Cuts the lists that grew past twice `keep` postings back to `keep` (after many names were
    /// added through the triggers). ``NameIndex/refreshStatistics(sample:in:)`` calls it.
    public static func trim(keep: Int = defaultKeep, in db: Database) throws {
        let keep = max(1, keep)
        let long = try String.fetchAll(db, sql: "SELECT gram FROM name_gram GROUP BY gram HAVING count(*) > ?", arguments: [2 * keep])
        for gram in long {
            guard let last = try Row.fetchOne(db, sql: """
                SELECT class, former, position, length, name, subject_code FROM name_gram WHERE gram = ?
                ORDER BY class, former, position, length, name, subject_code LIMIT 1 OFFSET ?
                """, arguments: [gram, keep - 1]) else { continue }
            try db.execute(sql: """
                DELETE FROM name_gram WHERE gram = ? AND (class, former, position, length, name, subject_code) > (?, ?, ?, ?, ?, ?)
                """, arguments: [gram, last[0], last[1], last[2], last[3], last[4], last[5]])
            try db.execute(sql: "INSERT OR IGNORE INTO name_gram_cut (gram) VALUES (?)", arguments: [gram])
        }
    }

    /// The second half of a one-character gram's key (not a Unicode scalar).
    static let noScalar: UInt64 = 0x11_0000

    static func pack(_ cls: Int, _ former: Bool, _ position: Int, _ length: Int) -> UInt64 {
        UInt64(cls) << 62 | (former ? 1 << 61 : 0) | UInt64(position) << 40 | UInt64(min(length, (1 << 40) - 1))
    }

    static func unpack(_ p: UInt64) -> (Int, Int, Int, Int) {
        (Int(p >> 62), Int(p >> 61 & 1), Int(p >> 40 & 0x1F_FFFF), Int(p & ((1 << 40) - 1)))
    }

    static func gramText(_ key: UInt64) -> String {
        var s = String.UnicodeScalarView()
        if let a = Unicode.Scalar(UInt32(key >> 32)) { s.append(a) }
        if key & 0xFFFF_FFFF != noScalar, let b = Unicode.Scalar(UInt32(key & 0xFFFF_FFFF)) { s.append(b) }
        return String(s)
    }
}

extension NameGramIndex.GramList {
    /// Adds a posting; a list that reaches twice `keep` is sorted and cut back to `keep`.
    mutating func append(_ p: NameGramIndex.Posting, keep: Int) {
        if let bound, !(p < bound) { return }
        postings.append(p)
        if postings.count >= 2 * keep { finish(keep: keep) }
    }

    mutating func finish(keep: Int) {
        postings.sort(by: <)
        if postings.count > keep {
            postings.removeLast(postings.count - keep)
            cut = true
            bound = postings.last
        }
    }
}
