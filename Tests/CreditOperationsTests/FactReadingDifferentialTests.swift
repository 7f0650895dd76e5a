import CreditTestSupport
@testable import CreditRegistry
import CreditSamples
import FeedIngest
import Foundation
import GRDB
import Testing

/// The fact loaders decode columns straight from SQLite statements and skip the probes a
/// presence set rules out. On a generated registry with hand-edited rows (timestamps where days
/// are stored, NULL optional columns, a relation without a record, several penalty types), every
/// subject's facts — read by code, streamed, and streamed as a related subject with and without
/// presence sets — must equal those of a reference loader written here with GRDB rows and plain SQL.
@Suite struct FactReadingDifferentialTests {
    @Test func everyLoaderReadsTheFactsTheReferenceReads() async throws {
        try await onOwnThread {
            let dir = try TemporaryDirectory("fact-reading")
            let registry = try Support.generatedRegistry(subjects: 800, seed: 53, in: dir)
            try registry.write { db in
                try db.execute(sql: """
                    UPDATE subject SET status_since = '2024-03-01T08:00:00+08:00' WHERE code = (SELECT MIN(subject_code) FROM status_history);
                    UPDATE penalty SET authority = NULL, types = 'warning;fine;confiscation' WHERE record_id = (SELECT MIN(record_id) FROM penalty);
                    UPDATE penalty SET publicity_end = '2027-01-31 00:00:00' WHERE record_id = (SELECT MAX(record_id) FROM penalty);
                    UPDATE relation SET record_id = NULL, valid_to = '2026-05-01' WHERE id = (SELECT MIN(id) FROM relation);
                    UPDATE list_entry SET ground = NULL WHERE rowid = (SELECT MIN(rowid) FROM list_entry);
                    """)
            }
            let counts = try registry.read { db in
                try ["penalty", "licence", "list_entry", "tax_grade", "status_history", "relation"].map {
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($0)") ?? 0
                }
            }
            #expect(counts.allSatisfy { $0 > 0 }, "every fact table holds rows: \(counts)")

            for day in [nil, Support.day("2025-06-30")] {
                try registry.read { db in
                    let codes = try String.fetchAll(db, sql: "SELECT code FROM subject ORDER BY code")
                    var reference: [String: SubjectFacts] = [:]
                    for code in codes { reference[code] = try Self.reference(code, asOf: day, in: db) }

                    for code in codes {
                        #expect(try registry.facts(of: code, asOf: day, in: db) == reference[code], "by code: \(code)")
                    }
                    var stream = try FactsStream(db: db, asOf: day)
                    var streamed: [String] = []
                    while let f = try stream.next() {
                        streamed.append(f.code)
                        #expect(f == reference[f.code], "streamed: \(f.code)")
                    }
                    #expect(streamed == codes)

                    // Streamed with some fact kinds only (as contributions and a full materialisation
                    // through them read): those kinds equal the reference's, the others are empty.
                    for kinds: Set<FactPresence.Kind> in [[.listEntries, .statuses], [.penalties, .licences, .taxGrades, .roles], []] {
                        var some = try FactsStream(db: db, asOf: day, kinds: kinds)
                        var n = 0
                        while let f = try some.next() {
                            n += 1
                            guard let r = reference[f.code] else { Issue.record("streamed unknown \(f.code)"); continue }
                            #expect(f.code == r.code && f.kind == r.kind && f.name == r.name)
                            if kinds.contains(.statuses) { #expect(f.status == r.status && f.statusSince == r.statusSince, "status of \(f.code)") }
                            #expect(f.listEntries == (kinds.contains(.listEntries) ? r.listEntries : []), "lists of \(f.code), \(kinds)")
                            #expect(f.taxGrades == (kinds.contains(.taxGrades) ? r.taxGrades : []), "grades of \(f.code), \(kinds)")
                            #expect(f.penalties == (kinds.contains(.penalties) ? r.penalties : []), "penalties of \(f.code), \(kinds)")
                            #expect(f.licences == (kinds.contains(.licences) ? r.licences : []), "licences of \(f.code), \(kinds)")
                            #expect(f.roles == (kinds.contains(.roles) ? r.roles : []), "roles of \(f.code), \(kinds)")
                            #expect(f.keyPersons.isEmpty)
                        }
                        #expect(n == codes.count)
                    }
                    // Key persons read by code, as contributions read them for the few subjects that may contribute.
                    let probe = try KeyPersonsProbe(db: db)
                    for code in codes { #expect(try probe.keyPersons(of: code) == reference[code]?.keyPersons, "key persons of \(code)") }

                    let presence = try FactPresence.read(FactPresence.Kind.allCases, in: db)
                    for withPresence in [false, true] {
                        var related = try RelatedFactsStream(db: db, asOf: day, keyPersons: true, presence: withPresence ? presence : nil)
                        var withRelated = 0
                        for code in codes {
                            let others = try String.fetchAll(db, sql: """
                                SELECT from_code FROM relation WHERE to_code = ?1 UNION SELECT to_code FROM relation WHERE from_code = ?1
                                """, arguments: [code]).filter { $0 != code && reference[$0] != nil }.sorted()
                            let got = try related.related(of: code)
                            #expect(got.map(\.code) == others, "related codes of \(code)")
                            #expect(got == others.compactMap { reference[$0] }, "related facts of \(code), presence \(withPresence)")
                            if !got.isEmpty { withRelated += 1 }
                        }
                        #expect(withRelated > codes.count / 2)
                    }
                }
            }
        }
    }

    /// One subject's facts read with GRDB rows, column by name.
    static func reference(_ code: String, asOf: Day?, in db: Database) throws -> SubjectFacts? {
        guard let s = try Row.fetchOne(db, sql: "SELECT * FROM subject WHERE code = ?", arguments: [code]) else { return nil }
        func day(_ text: String?) throws -> Day? { try Day.stored(text, table: "t", column: "c", row: code) }
        func rows(_ sql: String) throws -> [Row] { try Row.fetchAll(db, sql: sql, arguments: [code]) }
        let history = try rows("SELECT * FROM status_history WHERE subject_code = ?").map { r in
            StatusAsOf.Change(since: try day(r["since"])!, status: SubjectStatus(rawValue: r["status"])!)
        }
        let (status, since) = StatusAsOf.resolve(current: SubjectStatus(rawValue: s["status"])!, since: try day(s["status_since"]),
                                                 history: history, asOf: asOf)
        var f = SubjectFacts(code: code, kind: SubjectKind(rawValue: s["kind"])!, name: s["name"], status: status, statusSince: since)
        f.listEntries = try rows("SELECT * FROM list_entry WHERE subject_code = ?").map { r in
            ListEntryFact(list: r["list"], enteredOn: try day(r["entered_on"])!, exitedOn: try day(r["exited_on"]), ground: r["ground"],
                          recordIDs: [r["entry_record"]] + ((r["exit_record"] as Int64?).map { [$0] } ?? []))
        }
        f.taxGrades = try rows("SELECT * FROM tax_grade WHERE subject_code = ?").map { r in
            TaxGradeFact(year: r["year"], grade: TaxGrade(rawValue: r["grade"])!, publishedOn: try day(r["published_on"])!, recordID: r["record_id"])
        }
        f.penalties = try rows("SELECT * FROM penalty WHERE subject_code = ?").map { r in
            PenaltyFact(documentNumber: r["document_number"], decidedOn: try day(r["decided_on"])!,
                        types: (r["types"] as String).split(separator: ";").map(String.init), fineMicroWan: r["fine_micro_wan"],
                        severity: PenaltySeverity(rawValue: r["severity"])!, authority: r["authority"] ?? "",
                        publicityEnd: try day(r["publicity_end"]), repairedOn: try day(r["repaired_on"]),
                        revokedOn: try day(r["revoked_on"]), recordID: r["record_id"])
        }
        f.licences = try rows("SELECT * FROM licence WHERE subject_code = ?").map { r in
            LicenceFact(number: r["number"], type: r["type"], grantedOn: try day(r["granted_on"])!, validUntil: try day(r["valid_until"]),
                        revokedOn: try day(r["revoked_on"]), recordID: r["record_id"])
        }
        func relation(_ r: Row) throws -> RelationFact {
            RelationFact(role: RelationRole(rawValue: r["role"])!, from: r["from_code"], to: r["to_code"], validFrom: try day(r["valid_from"])!,
                         validTo: try day(r["valid_to"]), recordID: r["record_id"] ?? 0)
        }
        f.keyPersons = try rows("SELECT * FROM relation WHERE from_code = ?").map(relation)
        f.roles = try rows("SELECT * FROM relation WHERE to_code = ?").map(relation)
        f.sortCanonically()
        return f
    }
}
