import CreditTestSupport
import Foundation
import GRDB
import Testing
@testable import CreditRegistry

/// The registry's write methods give the same rows whether they run through statements held by
/// a writer (``RegistryStatements``) or through GRDB's statement cache.
@Suite struct RegistryStatementsTests {
    func d(_ s: String) -> Day { (try? Day(s)) ?? Day(ordinal: 0) }

    /// Writes that run every slot at least twice (a held statement is reset and bound again),
    /// conflicts and renames included.
    func writeEverySlot(_ registry: Registry, held: Bool) throws {
        try registry.write { [self] db in
            try db.execute(sql: "INSERT INTO feed (bureau, feed_id, sequence, kind, file, digest, ingested_at) VALUES ('commerce', 'T1', 1, 'full', 't.xml', 'x', '2024-01-01')")
            let feed = db.lastInsertedRowID
            let statements = held ? RegistryStatements(db: db) : nil
            let org = "91350100M000100Y43", other = "91350200MA00001C1A"
            let rep = "11010519491231002X", chief = "350102198001010011"
            var ids: [Int64] = []
            for (i, code) in [org, other].enumerated() {
                ids.append(try registry.append(NewRecord(subjectCode: code, kind: "registration",
                                                         provenance: Provenance(bureau: "commerce", bureauKey: "REG-\(i)", feed: feed, line: 10 + i),
                                                         effectiveFrom: d("2010-05-01"), contentHash: "h\(i)", payload: "{}"),
                                               recordedAt: "2024-01-01T00:00:00Z", in: db, statements: statements))
            }
            // A subject first named by a record, then registered (the registration renames it).
            try registry.introduce(code: org, kind: .enterprise, name: "福州某某", source: .record, recordID: ids[0], in: db, statements: statements)
            try registry.upsert(Subject(code: org, kind: .enterprise, name: "福州某某科技有限公司", establishedOn: d("2010-05-01"), region: "350100"),
                                recordID: ids[0], in: db, statements: statements)
            try registry.upsert(Subject(code: other, kind: .enterprise, name: "厦门海西建材有限公司", establishedOn: d("2017-12-27")),
                                recordID: ids[1], in: db, statements: statements)
            try registry.addName("福州某某有限公司", of: org, from: d("2005-01-01"), to: d("2010-04-30"), in: db, statements: statements)
            try registry.addAlias(scheme: .registrationNumber, value: "350100100012345", subject: org, in: db, statements: statements)
            try registry.addStatus(.active, of: org, since: d("2010-05-01"), recordID: ids[0], in: db, statements: statements)
            try registry.addStatus(.active, of: org, since: d("2010-05-01"), recordID: ids[1], in: db, statements: statements)
            // Persons: new, known (variant only), renamed by a more authoritative source.
            try registry.introduce(code: rep, kind: .naturalPerson, name: "张丽", source: .named, recordID: ids[0], in: db, statements: statements)
            try registry.introduce(code: rep, kind: .naturalPerson, name: "張麗", source: .list, recordID: ids[1], in: db, statements: statements)
            // Named again under another spelling that does not rename it: a `named` variant row.
            try registry.introduce(code: rep, kind: .naturalPerson, name: "张莉", source: .named, recordID: ids[1], in: db, statements: statements)
            try registry.introduce(code: chief, kind: .naturalPerson, name: "王強", source: .list, recordID: ids[1], in: db, statements: statements)
            try registry.introduce(code: chief, kind: .naturalPerson, name: "王强", source: .named, recordID: ids[0], in: db, statements: statements)
            try registry.introduce(code: chief, kind: .naturalPerson, name: "王强", source: .record, recordID: ids[0], onlyIfAbsent: true,
                                   in: db, statements: statements)
            try registry.add(Relation(from: org, role: .legalRepresentative, to: chief, validFrom: d("2010-05-01"), recordID: ids[0]),
                             in: db, statements: statements)
            try registry.endRoles(of: org, role: .legalRepresentative, except: rep, on: d("2018-06-01"), in: db, statements: statements)
            try registry.add(Relation(from: org, role: .legalRepresentative, to: rep, validFrom: d("2018-06-01"), recordID: ids[0]),
                             in: db, statements: statements)
            try registry.add(Relation(from: org, role: .legalRepresentative, to: rep, validFrom: d("2018-06-01"), recordID: ids[1]),
                             fromRegistration: false, in: db, statements: statements)
            try registry.add(Relation(from: other, role: .financeChief, to: chief, validFrom: d("2019-01-01"), recordID: ids[1]),
                             fromRegistration: false, in: db, statements: statements)
            for key in ["commerce:A-1", "commerce:A-1", "commerce:A-2"] {
                try registry.putListEntry(subject: org, list: KnownList.abnormalOperations, enteredOn: d("2020-03-01"), ground: "g",
                                          reason: key, authority: nil, entryKey: key, recordID: ids[0], in: db, statements: statements)
            }
            for (i, key) in ["commerce:P-1", "commerce:P-1", "commerce:P-2"].enumerated() {
                try registry.putPenalty(PenaltyFact(documentNumber: "罚\(i)", decidedOn: d("2021-09-27"), types: ["警告", "罚款"],
                                                    fineMicroWan: Int64(i) * 10_000, severity: .minor, recordID: ids[1]),
                                        subject: other, recordKey: key, in: db, statements: statements)
                try registry.putLicence(LicenceFact(number: "L\(i % 2)", type: "食品经营", grantedOn: d("2020-01-01"), validUntil: d("2025-01-01"),
                                                    recordID: ids[1]),
                                        subject: other, recordKey: "commerce:licence:L\(i % 2)", in: db, statements: statements)
                try registry.putTaxGrade(TaxGradeFact(year: 2020 + i % 2, grade: i == 1 ? .B : .A, publishedOn: d("2022-04-01"), recordID: ids[1]),
                                         subject: other, in: db, statements: statements)
            }
        }
    }

    /// Every row of the tables these writes touch, in a fixed order.
    func rows(_ registry: Registry) throws -> [String: [[String]]] {
        let tables = ["subject", "alias", "subject_name", "name_index", "status_history", "relation", "record", "name_variant",
                      "list_entry", "penalty", "licence", "tax_grade"]
        return try registry.read { db in
            var out: [String: [[String]]] = [:]
            for t in tables {
                out[t] = try Row.fetchAll(db, sql: "SELECT * FROM \(t) ORDER BY 1, 2, 3").map { row in
                    row.databaseValues.map { $0.description }
                }
            }
            return out
        }
    }

    @Test func heldStatementsWriteTheSameRowsAsTheCache() throws {
        let scratch = try TemporaryDirectory("statements")
        let cached = try Registry(path: scratch.path("cached.db"))
        let held = try Registry(path: scratch.path("held.db"))
        try writeEverySlot(cached, held: false)
        try writeEverySlot(held, held: true)
        let expected = try rows(cached)
        #expect(expected["name_variant"]?.count ?? 0 >= 4)
        #expect(expected["penalty"]?.count == 2)
        #expect(try rows(held) == expected)
    }

    @Test func everySlotPrepares() throws {
        let registry = try Registry(writer: DatabaseQueue())
        try registry.write { db in
            let statements = RegistryStatements(db: db)
            for slot in RegistryStatements.Slot.allCases {
                let first = try statements(slot)
                #expect(try statements(slot) === first, "slot \(slot) is prepared once")
            }
        }
    }
}

/// The identities a feed's statements remember (``KnownIdentities``) never change what
/// `introduce` and `upsert` write: seeded random sequences of introductions from every source,
/// renames, registrations and near-identical names give the same rows with the statements held
/// (identities remembered, also with a limit small enough to be passed and cleared) as through
/// GRDB's cache (every identity probed).
@Suite struct KnownIdentitiesTests {
    enum Step {
        case introduce(code: String, kind: SubjectKind, name: String, source: IdentitySource, onlyIfAbsent: Bool)
        case register(code: String, name: String)
    }

    static func steps(seed: UInt64, count: Int) -> [Step] {
        var random = SeededRandom(seed: seed)
        let persons = ["11010519491231002X", "350102198001010011", "110101199003070134"]
        let organisations = ["91350100M000100Y43", "91350200MA00001C1A"]
        // Equal names, a smaller one, a wider spelling, the same text in two Unicode forms, an empty one.
        let names = ["张丽", "张莉", "張麗", "王强", "e\u{301}", "\u{E9}", "", "Ａ公司"]
        let sources = IdentitySource.allCases
        // Always: a person named twice in two Unicode forms of one text (equal as Swift strings,
        // two rows to SQLite), and an organisation named, registered, then named again.
        let fixed: [Step] = [
            .introduce(code: persons[0], kind: .naturalPerson, name: "\u{E9}", source: .named, onlyIfAbsent: false),
            .introduce(code: persons[0], kind: .naturalPerson, name: "e\u{301}", source: .named, onlyIfAbsent: false),
            .introduce(code: organisations[0], kind: .enterprise, name: "Ａ公司", source: .named, onlyIfAbsent: false),
            .register(code: organisations[0], name: "福州某某"),
            .introduce(code: organisations[0], kind: .enterprise, name: "Ａ公司", source: .named, onlyIfAbsent: false),
        ]
        return fixed + (0..<count).map { _ in
            if random.next() % 7 == 0 {
                return .register(code: organisations[Int(random.next() % 2)], name: names[Int(random.next() % UInt64(names.count))])
            }
            let person = random.next() % 3 != 0
            let code = person ? persons[Int(random.next() % 3)] : organisations[Int(random.next() % 2)]
            return .introduce(code: code, kind: person ? .naturalPerson : .enterprise, name: names[Int(random.next() % UInt64(names.count))],
                              source: sources[Int(random.next() % UInt64(sources.count))], onlyIfAbsent: random.next() % 5 == 0)
        }
    }

    /// Applies `steps` in one transaction, with statements that remember at most `remembered`
    /// identities (or through GRDB's cache when nil), told to expect new subjects when `expectNew`.
    func apply(_ steps: [(offset: Int, element: Step)], to registry: Registry, remembered: Int?, expectNew: Bool = false) throws {
        try registry.write { db in
            let statements = remembered.map { RegistryStatements(db: db, rememberedIdentities: $0) }
            if expectNew { statements?.expectNewSubjects() }
            for (i, step) in steps {
                switch step {
                case let .introduce(code, kind, name, source, onlyIfAbsent):
                    try registry.introduce(code: code, kind: kind, name: name, source: source, recordID: Int64(i), onlyIfAbsent: onlyIfAbsent,
                                           in: db, statements: statements)
                case let .register(code, name):
                    try registry.upsert(Subject(code: code, kind: .enterprise, name: name.isEmpty ? "登记名称" : name), recordID: Int64(i),
                                        in: db, statements: statements)
                }
            }
        }
    }

    func rows(_ registry: Registry) throws -> [String] {
        try registry.read { db in
            try ["subject", "name_variant", "subject_name"].flatMap { table in
                try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1, 2, 3").map { "\(table) \($0)" }
            }
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func rememberedIdentitiesWriteTheSameRows(seed: UInt64) throws {
        let steps = Self.steps(seed: seed, count: 60)
        let probed = try Registry(writer: DatabaseQueue())
        try apply(Array(steps.enumerated()), to: probed, remembered: nil)
        let expected = try rows(probed)
        #expect(expected.contains { $0.hasPrefix("name_variant") }, "the sequence writes variants")
        // The second Unicode form is a name of its own to SQLite: stored as a variant, not derived.
        let decomposed = try probed.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM name_variant WHERE subject_code = '11010519491231002X' AND name = ? AND source = 'named'",
                             arguments: ["e\u{301}"]) ?? 0
        }
        #expect(decomposed == 1)
        for limit in [KnownIdentities.defaultLimit, 2] {
            let remembered = try Registry(writer: DatabaseQueue())
            try apply(Array(steps.enumerated()), to: remembered, remembered: limit)
            #expect(try rows(remembered) == expected, "seed \(seed), limit \(limit)")
            // A first load: codes not seen yet are inserted before any probe.
            let inserted = try Registry(writer: DatabaseQueue())
            try apply(Array(steps.enumerated()), to: inserted, remembered: limit, expectNew: true)
            #expect(try rows(inserted) == expected, "seed \(seed), limit \(limit), new subjects expected")
        }
    }

    /// Expecting new subjects is only a guess about which statement runs first: when the codes
    /// exist after all (written by an earlier transaction), the insert does nothing and the
    /// probe decides, so the rows are those of a transaction that probed every code.
    @Test(arguments: [11, 12, 13, 14] as [UInt64])
    func aWrongGuessOfNewSubjectsWritesTheSameRows(seed: UInt64) throws {
        let steps = Array(Self.steps(seed: seed, count: 60).enumerated())
        let split = steps.count / 2
        let probed = try Registry(writer: DatabaseQueue())
        try apply(Array(steps[..<split]), to: probed, remembered: nil)
        try apply(Array(steps[split...]), to: probed, remembered: nil)
        let guessed = try Registry(writer: DatabaseQueue())
        try apply(Array(steps[..<split]), to: guessed, remembered: nil)
        try apply(Array(steps[split...]), to: guessed, remembered: KnownIdentities.defaultLimit, expectNew: true)
        #expect(try rows(guessed) == rows(probed), "seed \(seed)")
    }
}
