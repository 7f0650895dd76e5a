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
}
