import CreditTestSupport
import GRDB
import Testing
@testable import CreditRegistry

/// ``NameIndex/rebuild(in:)`` computes the short-query postings from the names alone, on another
/// thread, in their byte order: the rows must be those the SQL triggers keep name by name —
/// names in two Unicode forms (equal as Swift strings, distinct to SQLite), names that are
/// prefixes of others, one name on more subjects than a list keeps, former names, and more than
/// ``NameGramIndex/defaultKeep`` names sharing grams (cut lists).
@Suite struct NameGramRebuildTests {
    static func names(seed: UInt64) -> [(code: String, name: String, former: Bool)] {
        var random = SeededRandom(seed: seed)
        let fixed = ["e\u{301}", "\u{E9}", "天", "天天", "天天向上", "Ａ公司", "A公司", "有限", "有限公司"]
        let pieces = ["天", "行", "有限", "公司", "兴华", "科技", "e\u{301}", "\u{E9}", "a", "Ａ"]
        var rows: [(String, String, Bool)] = []
        for (i, name) in fixed.enumerated() { rows.append(("F\(i)", name, false)) }
        // One name on more subjects than a list keeps: the codes' byte order decides which stay.
        for k in 0..<300 { rows.append(("T\(k)", "天行", false)) }
        for i in 0..<1_500 {
            var name = ""
            for _ in 0..<(1 + Int(random.next() % 4)) { name += pieces[Int(random.next() % UInt64(pieces.count))] }
            rows.append(("S\(i % 1_200)", name, random.next() % 5 == 0))
        }
        return rows
    }

    func grams(_ registry: Registry) throws -> [String] {
        try registry.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM name_gram ORDER BY 1, 2, 3, 4, 5, 6, 7").map { "\($0)" }
                + String.fetchAll(db, sql: "SELECT 'cut ' || gram FROM name_gram_cut ORDER BY 1")
        }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func rebuildWritesTheRowsTheTriggersKeep(seed: UInt64) throws {
        let registry = try Registry(writer: DatabaseQueue())
        try registry.write { db in
            for (code, name, former) in Self.names(seed: seed) {
                try db.execute(sql: "INSERT OR IGNORE INTO subject_name (subject_code, name, valid_from, valid_to) VALUES (?, ?, NULL, ?)",
                               arguments: [code, name, former ? "2020-01-01" : nil])
            }
        }
        let byTriggers = try grams(registry)
        #expect(byTriggers.contains { $0.hasPrefix("cut ") }, "some lists are cut")
        try registry.write { db in try NameIndex.rebuild(in: db) }
        #expect(try grams(registry) == byTriggers)
        // The one-character gram "é" is two grams to SQLite: one per Unicode form.
        let forms = try registry.read { db in
            try Int.fetchOne(db, sql: "SELECT count(DISTINCT gram) FROM name_gram WHERE gram IN (?, ?)", arguments: ["\u{E9}", "e"]) ?? 0
        }
        #expect(forms == 2)
    }
}
