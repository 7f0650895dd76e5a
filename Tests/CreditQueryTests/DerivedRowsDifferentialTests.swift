import CreditTestSupport
import Foundation
import GRDB
import Testing
import CreditQuery
@testable import CreditRegistry
import CreditSamples
import Decisions
import FeedIngest

/// A registry that derives a subject's own-code alias and a named subject's own-name variant at
/// read time answers every identifier look-up, alias list, name-variant list, credit report,
/// name search and batch check exactly like the same registry with those rows stored (as
/// registries before `v12-derived-identity-rows` held them), read through the queries that
/// served them then.
@Suite struct DerivedRowsDifferentialTests {
    @Test func derivedRowsAnswerLikeStoredOnes() async throws {
        try await onOwnThread {
            let scratch = try TemporaryDirectory("derived-rows")
            _ = try FeedGenerator(subjects: 240, seed: 11).write(to: scratch.url.path)
            let derived = try Registry(path: scratch.path("derived.db"))
            try DecisionSchema.migrate(derived)
            let feeds = try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).filter { $0.hasSuffix("-full.xml") }.sorted()
            #expect(feeds.count >= 2)
            for feed in feeds {
                let report = try FeedIngestor(registry: derived).ingest(path: scratch.path(feed))
                #expect(report.outcome == .ingested, "\(feed): \(report.reason ?? "")")
            }
            // The same registry with every subject's own code stored as an alias row, as the
            // writers stored it before (its scheme from the subject's kind, its value normalised).
            try derived.writer.writeWithoutTransaction { db in try db.execute(sql: "VACUUM INTO ?", arguments: [scratch.path("stored.db")]) }
            let stored = try Registry(path: scratch.path("stored.db"))
            let ownRows = try stored.read { db in
                (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM alias WHERE value = subject_code"),
                 try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM name_variant v JOIN subject s ON s.code = v.subject_code AND s.name = v.name
                        AND s.identity_source = v.source AND v.source = 'named'
                    """))
            }
            #expect(ownRows.0 == 0, "the new writers store no own-code alias")
            #expect(ownRows.1 == 0, "nor a variant that repeats a named subject's own name")
            try stored.write { db in
                try db.execute(sql: """
                    INSERT INTO alias (value, scheme, subject_code)
                    SELECT code, CASE kind WHEN 'natural_person' THEN 'resident_id' ELSE 'uscc' END, code FROM subject;
                    INSERT OR IGNORE INTO name_variant (subject_code, name, source, record_id)
                    SELECT code, name, 'named', NULL FROM subject WHERE identity_source = 'named' AND name <> '';
                    """)
            }

            let (codes, aliasValues, persons) = try stored.read { db in
                (try String.fetchAll(db, sql: "SELECT code FROM subject ORDER BY code"),
                 try String.fetchAll(db, sql: "SELECT value FROM alias WHERE value <> subject_code ORDER BY value"),
                 try String.fetchAll(db, sql: "SELECT code FROM subject WHERE kind = 'natural_person' ORDER BY code"))
            }
            #expect(codes.count > 300 && !aliasValues.isEmpty && !persons.isEmpty)
            let unknown = ["91350100440300779R", "110105194912310021", "350100100012345", "M000100Y4", "", "X"]
            let identifiers = codes + aliasValues + codes.prefix(40).map { $0.lowercased() }
                + aliasValues.prefix(20).map { String($0.prefix(8)) + "-" + $0.dropFirst(8) } + unknown

            // Identifier look-ups: the subject, through the query of the stored rows.
            let oldLookUp = "SELECT s.code FROM alias a JOIN subject s ON s.code = a.subject_code WHERE a.value = ? LIMIT 1"
            let oldAliases = "SELECT scheme, value FROM alias WHERE subject_code = ? ORDER BY scheme, value"
            let oldVariants = "SELECT name, source FROM name_variant WHERE subject_code = ? ORDER BY name, source"
            let oldAnswers = try stored.read { old in
                (try identifiers.map { try String.fetchOne(old, sql: oldLookUp, arguments: [IdentifierText.normalise($0)]) },
                 try codes.map { code in try Row.fetchAll(old, sql: oldAliases, arguments: [code]).map { "\($0["scheme"] as String)=\($0["value"] as String)" } },
                 try codes.map { code in try Row.fetchAll(old, sql: oldVariants, arguments: [code]).map { "\($0["name"] as String)/\($0["source"] as String)" } })
            }
            let newAnswers = try derived.read { db in
                (try identifiers.map { try derived.lookup($0, in: db)?.code },
                 try codes.map { code in try derived.aliases(of: code, in: db).map { "\($0.scheme.rawValue)=\($0.value)" } },
                 try codes.map { code in try derived.nameVariants(of: code, in: db).map { "\($0.name)/\($0.source.rawValue)" } })
            }
            for (i, id) in identifiers.enumerated() { #expect(newAnswers.0[i] == oldAnswers.0[i], "look-up of \(id)") }
            for (i, code) in codes.enumerated() {
                #expect(newAnswers.1[i] == oldAnswers.1[i], "aliases of \(code)")
                #expect(newAnswers.2[i] == oldAnswers.2[i], "name variants of \(code)")
            }
            #expect(oldAnswers.2.contains { !$0.isEmpty }, "the feeds name persons")
            #expect(newAnswers.0.compactMap { $0 }.count == codes.count + aliasValues.count + 40 + 20)

            // Credit reports (masked and unmasked), on two days.
            let auditDerived = try AuditLog.open(beside: derived), auditStored = try AuditLog.open(beside: stored)
            let sample = Array(codes.prefix(30)) + Array(persons.prefix(15)) + Array(aliasValues.prefix(15)) + unknown
            for id in sample {
                for options in [ReportBuilder.Options(asOf: try Day("2025-06-30"), unmask: true, actor: "t"),
                                ReportBuilder.Options(asOf: try Day("2019-01-01"), unmask: false, actor: "t")] {
                    let a = try ReportBuilder(registry: derived).report(for: id, options: options, audit: auditDerived)
                    let b = try ReportBuilder(registry: stored).report(for: id, options: options, audit: auditStored)
                    #expect(a == b, "report of \(id)")
                }
            }

            // Name searches of one, two and more characters, taken from stored names.
            let names = try derived.read { db in try String.fetchAll(db, sql: "SELECT name FROM subject_name ORDER BY name LIMIT 25") }
            var queries = Set<String>()
            for name in names {
                let chars = Array(name)
                queries.insert(String(chars.prefix(1))); queries.insert(String(chars.prefix(2)))
                queries.insert(String(chars.dropFirst(2).prefix(3))); queries.insert(name)
            }
            for q in queries.sorted() where !q.isEmpty {
                #expect(try NameSearch(registry: derived).search(q, limit: 50) == NameSearch(registry: stored).search(q, limit: 50), "search \(q)")
            }

            // Batch check of every identifier, today and on a past day.
            let csv = "code,name\n" + identifiers.map { "\($0),某公司" }.joined(separator: "\n") + "\n"
            for asOf in [try Day("2025-06-30"), try Day("2019-01-01")] {
                var options = BatchChecker.Options(asOf: asOf)
                options.format = .json
                let a = try BatchChecker(registry: derived).run(input: Array(csv.utf8), options: options)
                let b = try BatchChecker(registry: stored).run(input: Array(csv.utf8), options: options)
                #expect(a.output == b.output, "batch check as of \(asOf)")
                #expect(a.summary.found > 300)
            }
        }
    }

    /// The migration deletes the stored own-code aliases and own-name variants of a registry
    /// written before it, and nothing else: the legacy identifiers and other variants stay, every
    /// identifier still finds its subject, and a rename keeps the old name as a variant row.
    @Test func migrationDeletesOnlyTheOwnCodeRows() throws {
        let scratch = try TemporaryDirectory("own-code-migration")
        let path = scratch.path("old.db")
        let org = "91350100M000100Y43", person = "11010519491231002X"
        do {
            let registry = try Registry(path: path)
            try registry.write { db in
                try registry.upsert(Subject(code: org, kind: .enterprise, name: "福州某某科技有限公司"), in: db)
                try registry.introduce(code: person, kind: .naturalPerson, name: "张丽", source: .named, recordID: nil, in: db)
                try registry.addAlias(scheme: .registrationNumber, value: "350100100012345", subject: org, in: db)
                try registry.addAlias(scheme: .residentID15, value: "110105491231002", subject: person, in: db)
                try registry.introduce(code: person, kind: .naturalPerson, name: "张莉", source: .list, recordID: 7, in: db)
                // What the writers stored before, and the migration not yet applied.
                try db.execute(sql: "INSERT INTO alias (value, scheme, subject_code) VALUES (?1, 'uscc', ?1), (?2, 'resident_id', ?2)",
                               arguments: [org, person])
                try db.execute(sql: "INSERT INTO name_variant (subject_code, name, source, record_id) VALUES (?, '张丽', 'named', 3)",
                               arguments: [person])
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v12-derived-identity-rows'")
            }
        }
        let registry = try Registry(path: path)
        let rows = try registry.read { db in try String.fetchAll(db, sql: "SELECT value || ' ' || scheme FROM alias ORDER BY 1") }
        #expect(rows == ["110105491231002 resident_id_15", "350100100012345 registration_number"])
        #expect(try registry.lookup(org)?.code == org)
        #expect(try registry.lookup("350100100012345")?.code == org)
        #expect(try registry.lookup("110105491231002")?.code == person)
        #expect(try registry.lookup(person.lowercased())?.code == person)
        let aliases = try registry.read { db in try registry.aliases(of: person, in: db).map(\.scheme) }
        #expect(aliases == [.residentID, .residentID15])
        let variants = try registry.read { db in try String.fetchAll(db, sql: "SELECT name || ' ' || source FROM name_variant ORDER BY 1") }
        #expect(variants == ["张莉 list"])
        func variantsOfPerson() throws -> [String] {
            try registry.read { db in try registry.nameVariants(of: person, in: db).map { "\($0.name) \($0.source.rawValue)" } }
        }
        #expect(try variantsOfPerson() == ["张丽 named", "张莉 list"])
        // Renamed by a name that sorts first from the same source: the old name stays a variant (stored now).
        try registry.write { db in
            try registry.introduce(code: person, kind: .naturalPerson, name: "张一", source: .named, recordID: 9, in: db)
        }
        #expect(try variantsOfPerson() == ["张一 named", "张丽 named", "张莉 list"])
        let stored = try registry.read { db in try String.fetchAll(db, sql: "SELECT name FROM name_variant WHERE source = 'named'") }
        #expect(stored == ["张丽"])
    }
}
