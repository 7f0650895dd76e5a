import CreditTestSupport
import Foundation
import GRDB
import Testing

/// `creditctl db migrate` and `db copy` against a real PostgreSQL cluster (TestPostgres).
@Suite(.serialized)
struct MigrateAndCopyTests {
    @Test func migrateIsIdempotentAndCreatesTheTrigramIndex() throws {
        let url = try TestPostgres.database()
        let first = try CreditCtl.run(["db", "migrate", "--db", url])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("applied: registry/v1-registry"))
        let second = try CreditCtl.run(["db", "migrate"], environment: ["CREDIT_DB": url])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("up to date"))
        let indexes = try TestPostgres.psql(url, "SELECT indexdef FROM pg_indexes WHERE indexname = 'subject_name_trgm'")
        #expect(indexes.contains("gin (name gin_trgm_ops)"))
        let tables = try TestPostgres.psql(url, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
        #expect(Int(tables.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 >= 25)
    }

    @Test func badURLsAndUnreachableServersSayWhat() throws {
        let bad = try CreditCtl.run(["db", "migrate", "--db", "postgres://u@h:99999/x"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("port 99999 is not a port number"), "\(bad.stderr)")
        let away = try CreditCtl.run(["db", "migrate", "--db", "postgresql://postgres@/x?host=/nonexistent&port=1"])
        #expect(away.status == 74)
        #expect(away.stderr.contains("cannot connect to postgresql://postgres@/x?host=/nonexistent&port=1"), "\(away.stderr)")
    }

    /// The demo registry, its accounts, decisions and audit log move over with every row, the
    /// counts on PostgreSQL agree with SQLite's, and a second copy into the filled database is
    /// refused unless --replace.
    @Test func copyMovesEveryTableVerified() async throws {
        try await onOwnThread {
            let scratch = try TemporaryDirectory("pg-copy")
            let db = scratch.path("credit.db")
            let demo = try CreditCtl.demo(db)
            #expect(demo.status == 0, "\(demo.stderr)")
            let add = try CreditCtl.run(["users", "add", "alice", "--role", "officer", "--department", "sat", "--db", db])
            #expect(add.status == 0, "\(add.stderr)")
            let url = try TestPostgres.database()

            let copy = try CreditCtl.run(["db", "copy", "--from", db, "--to", url, "--format", "json"])
            #expect(copy.status == 0, "\(copy.stderr)")
            struct Outcome: Decodable { struct T: Decodable { var table: String; var rows: Int; var digest: String }; var tables: [T] }
            let outcome = try JSONDecoder().decode(Outcome.self, from: Data(copy.stdout.utf8))
            let registry = try DatabaseQueue(path: db)
            let audit = try DatabaseQueue(path: scratch.path("credit.audit.db"))
            // The checkpoints come from the checkpoint file, not a table (CheckpointsCopyTests).
            for t in outcome.tables where t.table != "audit_checkpoint" {
                let source = try (t.table.hasPrefix("audit") ? audit : registry).read { db in
                    try db.tableExists(t.table) ? try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(t.table)") ?? 0 : 0
                }
                let target = Int(try TestPostgres.psql(url, "SELECT count(*) FROM \(t.table)").trimmingCharacters(in: .whitespacesAndNewlines))
                #expect(t.rows == source && target == source, "\(t.table): copied \(t.rows), SQLite \(source), PostgreSQL \(target ?? -1)")
                #expect(t.digest.count == 64)
            }
            for table in ["subject", "decision", "account", "audit", "record", "alias", "subject_name"] {
                #expect((outcome.tables.first { $0.table == table }?.rows ?? 0) > 0, "\(table) has rows")
            }
            // Ids keep going after the copied ones.
            let next = try TestPostgres.psql(url, "INSERT INTO feed (bureau, feed_id, sequence, kind, file, digest, ingested_at) VALUES ('x','x',1,'x','x','x','x') RETURNING id")
            let maxID = try registry.read { db in try Int.fetchOne(db, sql: "SELECT MAX(id) FROM feed") ?? 0 }
            #expect(Int(next.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").first ?? "") == maxID + 1)

            let again = try CreditCtl.run(["db", "copy", "--from", db, "--to", url])
            #expect(again.status == 65)
            #expect(again.stderr.contains("the target database is not empty"), "\(again.stderr)")
            let replaced = try CreditCtl.run(["db", "copy", "--from", db, "--to", url, "--replace", "--format", "json"])
            #expect(replaced.status == 0, "\(replaced.stderr)")
            let second = try JSONDecoder().decode(Outcome.self, from: Data(replaced.stdout.utf8))
            #expect(second.tables.map(\.digest) == outcome.tables.map(\.digest), "the same registry gives the same digests")
            let feeds = try TestPostgres.psql(url, "SELECT count(*) FROM feed WHERE bureau = 'x'")
            #expect(feeds.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "--replace emptied the target first")
        }
    }

    /// A table of the source that the copy does not know is refused, and nothing is committed.
    @Test func unknownSourceTableIsRefusedAndNothingCommitted() throws {
        let scratch = try TemporaryDirectory("pg-copy-unknown")
        let db = scratch.path("credit.db")
        #expect(try CreditCtl.run(["users", "add", "bob", "--role", "auditor", "--db", db]).status == 0)
        try RawSQLite.execute(db, "CREATE TABLE local_notes (x TEXT)")
        let url = try TestPostgres.database()
        let r = try CreditCtl.run(["db", "copy", "--from", db, "--to", url])
        #expect(r.status == 65)
        #expect(r.stderr.contains("local_notes"), "\(r.stderr)")
        #expect(try TestPostgres.psql(url, "SELECT count(*) FROM account").trimmingCharacters(in: .whitespacesAndNewlines) == "0")
    }
}
