import CreditRegistry
import CreditTestSupport
import Foundation
import GRDB
@testable import PostgresStore
import Testing

/// `creditctl bridge push|status|reconcile|pull --db postgres://…` against the reference peer:
/// the same messages delivered, the same outbox state, the same reconciliation and the same
/// national list pages applied as on SQLite; two senders on one database never deliver a
/// message twice.
@Suite(.serialized)
struct ExchangeOnPostgresTests {
    static let feeds = ["feeds/commerce-0001-full.xml", "feeds/commerce-0002-delta.xml", "feeds/tax-0001-full.xml"]
        .map(NationalListOnPostgresTests.sample)

    /// A directory of the national list files the peer serves as pages.
    static func lists(_ scratch: TemporaryDirectory) throws -> String {
        let dir = scratch.path("lists")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for f in ["dishonest-debtors.csv", "joint-lists.csv"] {
            try FileManager.default.copyItem(atPath: NationalListOnPostgresTests.sample("national/\(f)"), toPath: "\(dir)/\(f)")
        }
        return dir
    }

    /// The exchange cursors (peer, list, cursor, complete, pages) of each backend.
    static func cursors(sqlite path: String) throws -> [String] {
        try DatabaseQueue(path: path).read { db in
            try Row.fetchAll(db, sql: "SELECT peer, list, cursor, complete, pages FROM exchange_cursor ORDER BY peer, list")
                .map { "\($0[0] as String)|\($0[1] as String)|\($0[2] as String)|\($0[3] as Int64)|\($0[4] as Int64)" }
        }
    }

    static func cursors(postgres url: String) throws -> [String] {
        try TestPostgres.psql(url, """
            SELECT peer || '|' || list || '|' || cursor || '|' || complete || '|' || pages FROM exchange_cursor ORDER BY peer COLLATE "C", list COLLATE "C"
            """).split(separator: "\n").map(String.init)
    }

    @Test func pushStatusReconcileAndPullAsOnSQLite() async throws {
        let scratch = try TemporaryDirectory("pg-exchange")
        let lists = try Self.lists(scratch)
        let sqlitePeer = try await NationalPeer(scratch: scratch, name: "peer-sqlite", lists: lists)
        let postgresPeer = try await NationalPeer(scratch: scratch, name: "peer-postgres", lists: lists)
        defer { sqlitePeer.stop(); postgresPeer.stop() }
        try await onOwnThread {
            let both = try RulesOnPostgresTests.Both(scratch)
            let ingest = try both.run(["ingest"] + Self.feeds)
            #expect(ingest.sqlite.status == 0 && ingest.postgres.status == 0, "\(ingest.postgres.stderr)")
            try both.same(["rules", "activate", RulesOnPostgresTests.rules, "--author", "t"])

            /// Runs a bridge command on each backend against its own peer.
            func bridge(_ arguments: [String], config: Bool = true) throws -> (sqlite: ProcessOutput, postgres: ProcessOutput) {
                (try CreditCtl.run(["bridge"] + arguments + (config ? ["--config", sqlitePeer.cityConfig] : []) + ["--db", both.db, "--format", "json"]),
                 try CreditCtl.run(["bridge"] + arguments + (config ? ["--config", postgresPeer.cityConfig] : [])
                                   + ["--db", both.url, "--audit-key", both.key, "--format", "json"]))
            }
            func same(_ arguments: [String], config: Bool = true) throws -> String {
                let (s, p) = try bridge(arguments, config: config)
                #expect(s.status == 0 && p.status == 0, "\(arguments): \(s.stderr) | \(p.stderr)")
                #expect(p.stdout == s.stdout, "\(arguments)")
                return p.stdout
            }

            let queued = try same(["status"], config: false)
            #expect(queued.contains(#""queued":"#) && !queued.contains(#""queued":0"#), "the feeds' list changes wait: \(queued)")
            let pushed = try same(["push", "--batch", "3"])
            #expect(pushed.contains(#""duplicates":0"#) && !pushed.contains(#""accepted":0"#), "\(pushed)")
            let delivered = try PeerStore(path: postgresPeer.store).messages(from: "350200")
            #expect(!delivered.isEmpty)
            #expect(delivered == (try PeerStore(path: sqlitePeer.store).messages(from: "350200")), "the peers received the same messages")
            #expect(delivered.map(\.sequence) == Array(1...Int64(delivered.count)), "in sequence order, each once")
            let status = try same(["status"], config: false)
            #expect(status.contains(#""queued":0"#) && status.contains(#""inFlight":0"#) && status.contains(#""acknowledged":\#(delivered.count)"#), "\(status)")
            #expect(try same(["push"]).contains(#""sent":0"#), "nothing left to send")
            let reconciled = try same(["reconcile"])
            #expect(reconciled.contains(#""list":"major_tax_violation""#), "\(reconciled)")
            #expect(!reconciled.contains(#""onlyLocal":[""#) && !reconciled.contains(#""onlyRemote":[""#), "the peer holds what the city sent: \(reconciled)")

            let pulled = try same(["pull", "--page-size", "2"])
            #expect(pulled.contains(#""list":"dishonest_debtor""#) && pulled.contains(#""list":"wage_arrears""#), "\(pulled)")
            #expect(!pulled.contains(#""pages":0"#), "every list had a page to apply: \(pulled)")
            #expect(try Self.cursors(postgres: both.url) == (try Self.cursors(sqlite: both.db)))
            #expect(!(try Self.cursors(postgres: both.url)).isEmpty)
            #expect(try RegistryRows.postgres(both.url) == (try RegistryRows.sqlite(both.db, like: both.url)), "the same rows")
            try both.decisionsAgree("after the pull")
            let entries = try RegistryRows.postgres(both.url)["list_entry"]
            let again = try same(["pull", "--page-size", "2"])
            #expect(again.split(separator: "\n").allSatisfy { $0.contains(#""rows":0"#) }, "pulled again, only the empty rest: \(again)")
            #expect(try RegistryRows.postgres(both.url)["list_entry"] == entries, "no list entry twice")
            #expect(try RegistryRows.postgres(both.url) == (try RegistryRows.sqlite(both.db, like: both.url)), "the same rows after the second pull")
            #expect(try Self.cursors(postgres: both.url) == (try Self.cursors(sqlite: both.db)))
            #expect(try same(["push"]).contains(#""sent":0"#), "pulled national entries are not sent back")
        }
    }

    /// Queues the sample feeds' list changes in a new PostgreSQL database; returns its URL, the
    /// audit key and the number of messages queued.
    static func queued(_ scratch: TemporaryDirectory) throws -> (url: String, key: String, count: Int) {
        let url = try TestPostgres.database(), key = scratch.path("credit.audit.key")
        let ingest = try CreditCtl.run(["ingest"] + feeds + ["--db", url, "--audit-key", key, "--format", "json"])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let count = Int(try TestPostgres.psql(url, "SELECT count(*) FROM outbox").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(count > 2)
        return (url, key, count)
    }

    /// Starts `creditctl bridge push` without waiting for it.
    static func startPush(_ url: String, key: String, config: String, scratch: TemporaryDirectory, name: String) throws -> Process {
        let p = Process()
        p.executableURL = CreditCtl.url
        p.arguments = ["bridge", "push", "--batch", "2", "--db", url, "--audit-key", key, "--config", config, "--format", "json"]
        p.environment = ProcessInfo.processInfo.environment.merging(["CREDITCTL_TODAY": "2026-11-30"]) { _, n in n }
        p.standardInput = FileHandle.nullDevice
        let out = scratch.path("\(name).out")
        FileManager.default.createFile(atPath: out, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        p.standardError = p.standardOutput
        try p.run()
        return p
    }

    static func summary(_ scratch: TemporaryDirectory, _ name: String) throws -> [String: Int] {
        let text = try String(contentsOfFile: scratch.path("\(name).out"), encoding: .utf8)
        let line = text.split(separator: "\n").last.map(String.init) ?? ""
        return (try? JSONDecoder().decode([String: Int].self, from: Data(line.utf8))) ?? ["unreadable": 1]
    }

    @Test func aSecondSenderWaitsForTheFirst() async throws {
        let scratch = try TemporaryDirectory("pg-exchange-hold")
        let peer = try await NationalPeer(scratch: scratch, name: "peer")
        defer { peer.stop() }
        try await onOwnThread {
            let (url, key, count) = try Self.queued(scratch)
            // This session plays the first sender: it holds the sender's lock.
            let first = try PostgresSession.connect(to: try PostgresLocation(url: url))
            defer { first.close() }
            try first.query("SELECT pg_advisory_lock(\(PostgresExchange.senderLockKey))")
            let second = try Self.startPush(url, key: key, config: peer.cityConfig, scratch: scratch, name: "second")
            var waiting = false
            for _ in 0..<600 where !waiting {
                let text = try TestPostgres.psql(url, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
                waiting = text.trimmingCharacters(in: .whitespacesAndNewlines) == "1"
                if !waiting { usleep(50_000) }
            }
            #expect(waiting, "the second sender waits for the lock")
            #expect(second.isRunning)
            #expect(try PeerStore(path: peer.store).messages(from: "350200").isEmpty, "nothing sent while the first holds the lock")
            try first.query("SELECT pg_advisory_unlock(\(PostgresExchange.senderLockKey))")
            second.waitUntilExit()
            #expect(second.terminationStatus == 0)
            #expect(try Self.summary(scratch, "second")["sent"] == count)
            #expect(try PeerStore(path: peer.store).messages(from: "350200").count == count)
        }
    }

    @Test func twoPushesAtOnceSendEveryMessageOnce() async throws {
        let scratch = try TemporaryDirectory("pg-exchange-two")
        let peer = try await NationalPeer(scratch: scratch, name: "peer", faults: ["--slow-ms", "100"])
        defer { peer.stop() }
        try await onOwnThread {
            let (url, key, count) = try Self.queued(scratch)
            let a = try Self.startPush(url, key: key, config: peer.cityConfig, scratch: scratch, name: "a")
            let b = try Self.startPush(url, key: key, config: peer.cityConfig, scratch: scratch, name: "b")
            a.waitUntilExit(); b.waitUntilExit()
            #expect(a.terminationStatus == 0 && b.terminationStatus == 0)
            let sa = try Self.summary(scratch, "a"), sb = try Self.summary(scratch, "b")
            #expect((sa["sent"] ?? -1) + (sb["sent"] ?? -1) == count, "\(sa) \(sb)")
            #expect(sa["duplicates"] == 0 && sb["duplicates"] == 0, "no message reached the peer twice: \(sa) \(sb)")
            let received = try PeerStore(path: peer.store).messages(from: "350200")
            #expect(received.map(\.sequence) == Array(1...Int64(count)))
            let status = try TestPostgres.psql(url, "SELECT count(*) FROM outbox WHERE acknowledged_at IS NOT NULL AND attempts = 1")
            #expect(status.trimmingCharacters(in: .whitespacesAndNewlines) == String(count), "each message sent once")
        }
    }
}
