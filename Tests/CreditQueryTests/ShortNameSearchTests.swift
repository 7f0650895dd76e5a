import Foundation
import GRDB
import Testing
import CreditQuery
@testable import CreditRegistry
import CreditTestSupport
import Decisions

/// One- and two-character name searches (the short-query index) against a brute-force scan of
/// every name with the same ranking, on a small generated registry full of ties.
@Suite struct ShortNameSearchTests {
    let dir: TemporaryDirectory
    let registry: Registry
    /// A small alphabet, so that characters and pairs repeat within and across names.
    static let alphabet = Array("天行科技华兴有限公司")

    init() throws {
        dir = try TemporaryDirectory("short-search")
        registry = try Registry(path: dir.path("credit.db"))
        try DecisionSchema.migrate(registry)
        let registry = self.registry
        try registry.write { db in
            for i in 0..<400 {
                let code = String(format: "S%04d", i)
                // Every tenth subject shares its name with the one before: ties broken by code.
                try registry.upsert(Subject(code: code, kind: .enterprise, name: Self.name(i % 10 == 9 ? i - 1 : i)), in: db)
                if i % 7 == 3 { try registry.addName(Self.name(10_000 + i), of: code, from: nil, to: Day(ordinal: 700_000), in: db) }
            }
        }
    }

    static func name(_ i: Int) -> String {
        var rng = SeededRandom(seed: UInt64(i) &* 7919)
        return randomName(&rng)
    }

    static func randomName(_ rng: inout SeededRandom) -> String {
        let length = 1 + Int(rng.next() % 6)
        return String((0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
    }

    /// The expected page: every name scanned, ranked by the search's definition, one hit per subject.
    func bruteForce(_ q: String, limit: Int, offset: Int) throws -> [String] {
        let rows = try registry.read { db in
            try Row.fetchAll(db, sql: "SELECT subject_code, name, valid_to IS NOT NULL FROM subject_name")
                .map { (code: $0[0] as String, name: $0[1] as String, former: $0[2] as Bool) }
        }
        let needle = Array(q.unicodeScalars)
        typealias Key = (cls: Int, former: Int, position: Int, length: Int, name: [UInt8], code: [UInt8])
        func less(_ a: Key, _ b: Key) -> Bool {
            if a.cls != b.cls { return a.cls < b.cls }
            if a.former != b.former { return a.former < b.former }
            if a.position != b.position { return a.position < b.position }
            if a.length != b.length { return a.length < b.length }
            if a.name != b.name { return a.name.lexicographicallyPrecedes(b.name) }
            return a.code.lexicographicallyPrecedes(b.code)
        }
        var best: [String: Key] = [:]
        for row in rows {
            let (code, name, former) = row
            let h = Array(name.unicodeScalars)
            guard h.count >= needle.count,
                  let p = (0...(h.count - needle.count)).first(where: { Array(h[$0..<($0 + needle.count)]) == needle }) else { continue }
            let key: Key = (p > 0 ? 2 : h.count == needle.count ? 0 : 1, former ? 1 : 0, p, h.count, Array(name.utf8), Array(code.utf8))
            if let old = best[code], !less(key, old) { continue }
            best[code] = key
        }
        let ranked = best.sorted { less($0.value, $1.value) }
        return ranked.dropFirst(offset).prefix(limit).map { "\($0.key) \(String(decoding: $0.value.name, as: UTF8.self))" }
    }

    func fast(_ q: String, limit: Int, offset: Int) throws -> [String] {
        var search = NameSearch(registry: registry)
        search.candidateFactor = 10_000   // longer queries: candidate sets as large as the registry
        return try search.search(q, limit: limit, offset: offset).map { "\($0.code) \($0.matchedName)" }
    }

    func queries() -> [String] {
        let chars = Self.alphabet.map(String.init)
        var out = chars
        for a in chars { for b in chars { out.append(a + b) } }
        out += ["天行科", "有限公", "华兴有", "限公司", "科技有", "天行科技华", "有限公司天", "兴有限公司"]
        return out
    }

    func expectSame(limits: [Int] = [1, 3, 10, 40], offsets: [Int] = [0, 2, 9]) throws {
        for q in queries() {
            for limit in limits {
                for offset in offsets {
                    let expected = try bruteForce(q, limit: limit, offset: offset)
                    let got = try fast(q, limit: limit, offset: offset)
                    #expect(got == expected, "query '\(q)' limit \(limit) offset \(offset)")
                }
            }
        }
    }

    @Test func sameAsBruteForceForEveryQueryLength() async throws {
        try await onOwnThread {
            try expectSame()
        }
    }

    @Test func sameAsBruteForceWhenListsAreCut() async throws {
        try await onOwnThread {
            // Three postings a gram: most lists are cut, deep pages fall back to the scan.
            try registry.write { db in try NameGramIndex.rebuild(keep: 3, in: db) }
            let cut = try registry.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM name_gram_cut") ?? 0 }
            #expect(cut > 50)
            try expectSame()
        }
    }

    @Test func keptInStepWithNewNamesRenamesAndMerges() async throws {
        try await onOwnThread {
            try registry.write { db in try NameGramIndex.rebuild(keep: 3, in: db) }
            let registry = self.registry
            try registry.write { db in
                // New subjects whose names rank first for many grams (short names).
                try registry.upsert(Subject(code: "N0001", kind: .enterprise, name: "天"), in: db)
                try registry.upsert(Subject(code: "N0002", kind: .enterprise, name: "有限"), in: db)
                try registry.upsert(Subject(code: "N0003", kind: .enterprise, name: "公司天行"), in: db)
                // A rename: the old name becomes a former name, the new one is current.
                try registry.addName("兴华", of: "S0001", from: nil, to: Day(ordinal: 700_000), in: db)
                try registry.addName("司技", of: "S0002", from: nil, in: db)
                // A current name that ends: now a former name.
                let ending = try String.fetchOne(db, sql: "SELECT name FROM subject_name WHERE subject_code = 'S0006' AND valid_to IS NULL")
                try registry.addName(try #require(ending), of: "S0006", from: nil, to: Day(ordinal: 700_000), in: db)
                // A merge: the names of S0003 now belong to S0004.
                try db.execute(sql: "UPDATE subject_name SET subject_code = 'S0004' WHERE subject_code = 'S0003'")
                // A name removed.
                try db.execute(sql: "DELETE FROM subject_name WHERE subject_code = 'S0005'")
            }
            try expectSame(limits: [1, 3, 10], offsets: [0, 2])
            // And a new registry state built from scratch answers the same.
            try registry.write { db in try NameGramIndex.rebuild(in: db) }
            try expectSame(limits: [1, 3, 10], offsets: [0, 2])
        }
    }

    @Test func listsFedByTheTriggersStayBoundedAndExact() throws {
        // 700 more names with 天 through the triggers: its list is cut at the index's size, not grown.
        let registry = self.registry
        try registry.write { db in
            for i in 0..<700 {
                try registry.upsert(Subject(code: String(format: "T%04d", i), kind: .enterprise, name: "天" + Self.name(20_000 + i)), in: db)
            }
        }
        let stored = try registry.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM name_gram WHERE gram = '天'") ?? 0,
             try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM name_gram_cut WHERE gram = '天')") ?? false)
        }
        #expect(stored.0 <= NameGramIndex.defaultKeep + 50)
        #expect(stored.1)
        for (limit, offset) in [(20, 0), (20, 200), (50, 300)] {
            for q in ["天", "天天", "天行", "华天"] {
                #expect(try fast(q, limit: limit, offset: offset) == bruteForce(q, limit: limit, offset: offset), "'\(q)' \(limit) \(offset)")
            }
        }
    }

    @Test func trimCutsListsThatGrewLong() async throws {
        try await onOwnThread {
            try registry.write { db in try NameGramIndex.trim(keep: 2, in: db) }
            let longest = try registry.read { db in
                try Int.fetchOne(db, sql: "SELECT max(n) FROM (SELECT count(*) AS n FROM name_gram GROUP BY gram)") ?? 0
            }
            #expect(longest <= 4)
            try expectSame(limits: [1, 10], offsets: [0, 5])
        }
    }

    @Test func upgradeBuildsTheIndexForAnExistingRegistry() throws {
        // A registry as version 7 left it: no short-query index; opening it migrates and builds it.
        let path = dir.path("old.db")
        do {
            let old = try Registry(path: path)
            try old.write { db in
                try old.upsert(Subject(code: "A1", kind: .enterprise, name: "华兴科技有限公司"), in: db)
                try old.upsert(Subject(code: "A2", kind: .enterprise, name: "兴华贸易"), in: db)
                try db.execute(sql: """
                    DROP TRIGGER name_gram_ai; DROP TRIGGER name_gram_au; DROP TRIGGER name_gram_ad;
                    DROP TABLE name_gram; DROP TABLE name_gram_cut; DROP TABLE name_gram_offset;
                    DELETE FROM grdb_migrations WHERE identifier = 'v8-short-name-search';
                    """)
                try old.upsert(Subject(code: "A3", kind: .enterprise, name: "华"), in: db)
            }
        }
        let upgraded = try Registry(path: path)
        try DecisionSchema.migrate(upgraded)
        let hits = try NameSearch(registry: upgraded).search("华")
        #expect(hits.map(\.code) == ["A3", "A1", "A2"])
        #expect(hits.map(\.match) == [.exact, .prefix, .substring])
        try upgraded.write { db in try upgraded.upsert(Subject(code: "A4", kind: .enterprise, name: "华兴"), in: db) }
        #expect(try NameSearch(registry: upgraded).search("华兴").map(\.code) == ["A4", "A1"])
    }
}
