import CreditOperations
import CreditQuery
import CreditRegistry
import CreditTestSupport
import Foundation
import GRDB
import PostgresStore
import Testing

/// The batch check on PostgreSQL gives the verdicts of the batch check on SQLite, byte for byte,
/// whatever the format, the caller's role (the bank boundary), the number of workers and the
/// batch size, and is audited the same way.
@Suite(.serialized)
struct BatchCheckOnPostgresTests {
    /// A file of every subject (by code and by alias) with its name, a wrong name, a former
    /// name, an invalid code, an unknown code, a blank code and a short row.
    static func input() throws -> [UInt8] {
        let fixture = try ReadSideFixture.shared.get()
        let rows = try DatabaseQueue(path: fixture.db).read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.code, s.name, (SELECT min(a.value) FROM alias a WHERE a.subject_code = s.code AND a.value <> s.code) AS alias,
                       (SELECT min(n.name) FROM subject_name n WHERE n.subject_code = s.code AND n.name <> s.name) AS former
                FROM subject s ORDER BY s.code
                """)
        }
        var csv = "code,name,note\n"
        for (i, r) in rows.enumerated() {
            let code: String = r["code"], name: String = r["name"]
            csv += "\(code),\(name),row \(i)\n"
            if let alias: String = r["alias"] { csv += "\(alias),\(name),alias\n" }
            if let former: String = r["former"] { csv += "\(code),\(former),former\n" }
            if i % 5 == 0 { csv += "\(code),某某不相干贸易有限公司,wrong name\n" }
        }
        csv += "91350100M000100Y4X,无效,invalid\n91350100M000100Y43,未知,unknown\n,空,blank\nshort\n\"quoted, code\",x,y\n"
        return Array(csv.utf8)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var format: BatchChecker.Format
        var role: AccountRole?
        var threads: Int
        var batchRows: Int
        /// Whether the subjects with lists, decisions or status changes are read up front (nil: by input size).
        var prefetch: Bool? = nil
        var testDescription: String {
            "\(format) \(role?.rawValue ?? "operator") \(threads) workers \(batchRows) rows a batch" + (prefetch == true ? ", prefetched" : "")
        }
    }

    static let cases = [
        Case(format: .csv, role: .bank, threads: 2, batchRows: 7),
        Case(format: .json, role: .bank, threads: 1, batchRows: 2048),
        Case(format: .csv, role: .officer, threads: 1, batchRows: 3),
        Case(format: .json, role: nil, threads: 2, batchRows: 16),
        Case(format: .csv, role: .officer, threads: 2, batchRows: 5, prefetch: true),
        Case(format: .json, role: .bank, threads: 1, batchRows: 4096, prefetch: true),
    ]

    /// Checks ``input()`` on both backends, expects the same bytes and summary; returns
    /// PostgreSQL's summary and the audit entry it wrote.
    static func checkOnBoth(options: BatchChecker.Options, viewer: Viewer) throws -> (BatchChecker.Summary, AuditLog.Entry) {
        let fixture = try ReadSideFixture.shared.get()
        let input = try input()
        let sqlite = try fixture.operations(.sqlite).batchCheck(input: input, options: options, viewer: viewer)
        let pgOps = try fixture.operations(.postgres)
        let postgres = try pgOps.batchCheck(input: input, options: options, viewer: viewer)
        #expect(String(decoding: postgres.output, as: UTF8.self) == String(decoding: sqlite.output, as: UTF8.self))
        var (a, b) = (sqlite.summary, postgres.summary)
        a.seconds = 0; b.seconds = 0; a.threadSeconds = []; b.threadSeconds = []
        #expect(a == b)
        // The same audit entry, on PostgreSQL's log.
        let entry = try #require(try pgOps.auditTrail.entries(subject: nil, limit: 50).last { $0.actor == viewer.actor })
        return (b, entry)
    }

    @Test(arguments: cases)
    func verdictsAreTheSameOnBothBackends(_ c: Case) async throws {
        try await onOwnThread {
            let options = BatchChecker.Options(format: c.format, threads: c.threads, batchRows: c.batchRows, prefetch: c.prefetch)
            let viewer = Viewer(actor: "api:batch-\(c.format)-\(c.threads)-\(c.batchRows)-\(c.prefetch == true)", maySeePersonalIDs: false,
                                role: c.role)
            let (b, entry) = try Self.checkOnBoth(options: options, viewer: viewer)
            #expect(b.found > 50 && b.flagged > 0 && b.errors > 0 && b.rows > b.found)
            #expect(entry.action == "check")
            #expect(entry.detail == (c.role.map { "role \($0.rawValue); " } ?? "")
                    + "batch as-of 2026-11-30: \(b.rows) rows, \(b.found) found, \(b.flagged) flagged")
        }
    }

    /// Days other than the decision table's are evaluated on the fly over each batch's slice
    /// (its subjects' facts and their related subjects'), giving SQLite's verdicts byte for byte,
    /// with the subjects that have status changes, lists or decisions read up front or not.
    @Test(arguments: ["2019-03-01", "2025-01-01", "2028-01-01"])
    func verdictsOnOtherDaysAreTheSameOnBothBackends(_ day: String) async throws {
        try await onOwnThread {
            let options = BatchChecker.Options(format: .json, asOf: try Day(day), threads: 2, batchRows: 9, prefetch: day != "2025-01-01")
            let viewer = Viewer(actor: "api:batch-\(day)", maySeePersonalIDs: false, role: .officer)
            let (b, entry) = try Self.checkOnBoth(options: options, viewer: viewer)
            #expect(b.found > 50)
            #expect(b.flagged > 0 || day == "2019-03-01", "measures were decided on \(day)")
            #expect(entry.detail == "role officer; batch as-of \(day): \(b.rows) rows, \(b.found) found, \(b.flagged) flagged")
        }
    }

    @Test func aStreamedCheckOnPostgresWritesTheSameFile() async throws {
        try await onOwnThread {
            let fixture = try ReadSideFixture.shared.get()
            let dir = try TemporaryDirectory("pg-batch-stream")
            let input = try Self.input()
            FileManager.default.createFile(atPath: dir.path("in.csv"), contents: Data(input))
            var outputs: [String] = []
            for backend in Backend.allCases {
                let out = dir.path("out-\(backend.rawValue).csv")
                FileManager.default.createFile(atPath: out, contents: nil)
                let (i, o) = (open(dir.path("in.csv"), O_RDONLY), open(out, O_WRONLY))
                defer { close(i); close(o) }
                _ = try fixture.operations(backend).batchCheck(input: i, output: o, options: .init(format: .csv, threads: 2, batchRows: 11),
                                                               viewer: Viewer(actor: "cli:stream", maySeePersonalIDs: false, role: .bank))
                outputs.append(try String(contentsOfFile: out, encoding: .utf8))
            }
            #expect(outputs[0] == outputs[1])
            #expect(outputs[0].split(separator: "\n").count > 60)
        }
    }
}
