import CreditOperations
import CreditQuery
import CreditRegistry
import CreditTestSupport
import Foundation
import GRDB
import PostgresStore
import Testing

/// The two backends the read-side tests run their cases on.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres
    var testDescription: String { rawValue }
}

/// The demo registry with quarantined records, a parked record and feedback, built once and
/// copied into PostgreSQL: the read-side tests open the use-case layer on either copy.
final class ReadSideFixture: Sendable {
    static let day = try! Day("2026-11-30")
    static let shared = Result { try ReadSideFixture() }

    let scratch: TemporaryDirectory
    let db: String
    let key: String
    let url: String
    /// Codes of every subject, and every alias value.
    let codes: [String]
    let aliases: [String]
    /// Tokens of the officer `alice` (department sat) and of the bank account `bank1`.
    let officerToken: String
    let bankToken: String
    /// A subject with feedback recorded under one of its measures.
    let withFeedback: String

    private init() throws {
        scratch = try TemporaryDirectory("pg-read-side")
        db = scratch.path("credit.db")
        key = scratch.path("credit.audit.key")
        let demo = try CreditCtl.demo(db)
        guard demo.status == 0 else { throw FixtureError("demo: \(demo.stderr)") }
        for bad in ["bad/commerce-bad-check-digit.xml", "bad/commerce-unknown-subject-delta.xml"] {
            let r = try CreditCtl.run(["ingest", "--db", db, CreditCtl.packageRoot.appendingPathComponent("samples/\(bad)").path])
            guard r.status == 0 || r.stderr.contains("reject") || r.stdout.contains("reject") else { throw FixtureError("ingest \(bad): \(r.status) \(r.stderr)") }
        }
        // An exit before its entry: it waits in `parked` (feeds pending).
        let parked = scratch.path("food-parked.xml")
        try """
            <?xml version="1.0" encoding="UTF-8"?>
            <feed xmlns="urn:credit-engine:feed:food:1" version="1.0">
              <header><bureau>food</bureau><feedId>FSA-PARKED-3</feedId><sequence>3</sequence><generatedAt>2025-07-01T08:00:00+08:00</generatedAt><kind>delta</kind></header>
              <dishonestExit key="FDX-9" op="upsert"><code>91350200MA3MPQ5A32</code><name>厦门嘉禾建设工程有限公司</name><entryKey>FD-9</entryKey>
                <reason>信用修复</reason><removedOn>2025-07-01</removedOn><authority>厦门市市场监督管理局</authority></dishonestExit>
            </feed>
            """.write(toFile: parked, atomically: true, encoding: .utf8)
        let p = try CreditCtl.run(["ingest", "--db", db, parked])
        guard p.status == 0 else { throw FixtureError("ingest of the parked exit: \(p.stdout) \(p.stderr)") }
        let queue = try DatabaseQueue(path: db)
        let (decided, measure, department) = try queue.read { db -> (String, String, String) in
            let row = try Row.fetchOne(db, sql: "SELECT subject_code, measure, department FROM decision WHERE kind = 'punishment' ORDER BY subject_code LIMIT 1")!
            return (row[0], row[1], row[2])
        }
        let fb = try CreditCtl.run(["feedback", "record", decided, measure, "--department", department, "--case", "案-2026-001",
                                    "--date", "2026-11-29", "--db", db])
        guard fb.status == 0 else { throw FixtureError("feedback: \(fb.stderr)") }
        withFeedback = decided
        (codes, aliases) = try queue.read { db in
            (try String.fetchAll(db, sql: "SELECT code FROM subject ORDER BY code"),
             try String.fetchAll(db, sql: "SELECT value FROM alias WHERE value <> subject_code ORDER BY value"))
        }
        try queue.close()
        var tokens: [String] = []
        for (name, role) in [("alice", ["--role", "officer", "--department", "sat"]), ("bank1", ["--role", "bank"])] {
            let add = try CreditCtl.run(["users", "add", name] + role + ["--db", db])
            guard add.status == 0 else { throw FixtureError("users add \(name): \(add.stderr)") }
            tokens.append(add.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        (officerToken, bankToken) = (tokens[0], tokens[1])
        url = try TestPostgres.database()
        let copy = try CreditCtl.run(["db", "copy", "--from", db, "--to", url])
        guard copy.status == 0 else { throw FixtureError("db copy: \(copy.stderr)") }
        sqlite = try CreditOperations.open(path: db, auditKey: key, clock: .fixed(Self.day))
    }

    /// The SQLite side opened once for every test: its one writer queues the tests' audit
    /// entries in this process, where separate opens of the same files would contend for
    /// SQLite's file locks (and could outwait the busy timeout on a loaded machine).
    private let sqlite: CreditOperations

    /// The use-case layer on `backend`'s copy of the registry, on the samples' day.
    /// Reads the SQLite registry on a connection of its own, read-only and waiting out the
    /// tests' writers instead of failing at once on SQLite's file lock.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(60)
        let queue = try DatabaseQueue(path: db, configuration: config)
        defer { try? queue.close() }
        return try queue.read(body)
    }

    func operations(_ backend: Backend) throws -> CreditOperations {
        switch backend {
        case .sqlite:
            return sqlite
        case .postgres:
            return try Self.postgres(url, key: key)
        }
    }

    /// The use-case layer on a PostgreSQL registry, wired as `creditctl` wires it.
    static func postgres(_ url: String, key: String, readURL: String? = nil) throws -> CreditOperations {
        let backend = try PostgresBackend.open(url: url, auditKey: key, readURL: readURL)
        var ops = try CreditOperations(registry: backend.standIn, clock: .fixed(day), reader: backend.reader, auditTrail: backend.audit)
        ops.feedStore = PostgresFeedStore(pool: backend.pool)
        ops.slices = backend.slices
        try backend.seal(ops.registry)
        return ops
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// JSON with sorted keys: two values compare equal when their encodings do.
func canonicalJSON<T: Encodable>(_ value: T) throws -> String {
    let e = JSONEncoder()
    e.outputFormatting = [.sortedKeys]
    return String(decoding: try e.encode(value), as: UTF8.self)
}
