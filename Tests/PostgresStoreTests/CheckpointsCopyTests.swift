import CreditTestSupport
import Foundation
import Testing

/// `db copy` carries the audit log's signed checkpoints (SQLite's `credit.audit.checkpoints`
/// file) into PostgreSQL's `audit_checkpoint` table: `audit verify` on the copy checks them as
/// SQLite's verify checks the file, a checkpoint tampered with before or after the copy is
/// found, and a file the table cannot hold is refused with nothing committed.
@Suite(.serialized)
struct CheckpointsCopyTests {
    typealias Verified = AuditCheckpointsOnPostgresTests.Verified

    static func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    /// The checkpoints PostgreSQL holds, written as the checkpoint file's lines.
    static func storedLines(_ url: String) throws -> [String] {
        try TestPostgres.psql(url, """
            SELECT 'v1 ' || number || ' ' || count || ' ' || head || ' ' || at || ' ' || previous || ' ' || signature
            FROM audit_checkpoint ORDER BY number
            """).split(separator: "\n").map(String.init)
    }

    static func verify(db: String, key: String) throws -> (ProcessOutput, Verified) {
        let out = try CreditCtl.run(["audit", "verify", "--db", db, "--audit-key", key, "--format", "json"])
        return (out, try AuditCheckpointsOnPostgresTests.verified(out))
    }

    @Test func copiedCheckpointsAreVerifiedAndTamperingIsFound() async throws {
        try await onOwnThread {
            let scratch = try TemporaryDirectory("pg-copy-checkpoints")
            let demo = try DemoOnPostgres(scratch)
            let file = try Self.lines(scratch.path("credit.audit.checkpoints"))
            #expect(file.count >= 2, "the demo's commands signed checkpoints")
            #expect(try Self.storedLines(demo.url) == file, "every checkpoint copied as it was signed")

            let (s, vs) = try Self.verify(db: demo.db, key: demo.key)
            let (p, vp) = try Self.verify(db: demo.url, key: demo.key)
            #expect(s.status == 0 && p.status == 0, "\(s.stdout) | \(p.stdout)")
            #expect(vp.intact && vp.checkpoints == file.count && vp.checkpoints == vs.checkpoints, "\(p.stdout) vs \(s.stdout)")
            #expect(vp.entries == vs.entries && vp.anchored == vs.anchored && vp.anchored > 0, "\(p.stdout) vs \(s.stdout)")

            // A command on PostgreSQL signs the next checkpoint after the copied ones.
            let report = try CreditCtl.run(["report", "91350200MA2XH1K70Y", "--db", demo.url, "--audit-key", demo.key])
            #expect(report.status == 0 && !report.stderr.contains("checkpoint not written"), "\(report.stderr)")
            let (_, after) = try Self.verify(db: demo.url, key: demo.key)
            #expect(after.intact && after.checkpoints == file.count + 1 && after.anchored == Int64(after.entries), "\(after)")

            // A copied checkpoint edited in PostgreSQL: its signature no longer holds.
            try TestPostgres.psql(demo.url, """
                ALTER TABLE audit_checkpoint DISABLE TRIGGER USER; UPDATE audit_checkpoint SET count = count - 1 WHERE number = 1;
                ALTER TABLE audit_checkpoint ENABLE TRIGGER USER
                """)
            let (t, tampered) = try Self.verify(db: demo.url, key: demo.key)
            #expect(t.status == 1 && !tampered.intact, "\(t.stdout)")
            #expect(tampered.problems.map(\.kind).contains("bad_checkpoint_signature"), "\(t.stdout)")
        }
    }

    /// A checkpoint file edited on the SQLite side is carried as it is, and the copy's verify
    /// finds what SQLite's finds; a line that is not a checkpoint refuses the copy (exit 65).
    @Test func aTamperedCheckpointFileIsFoundOnTheCopyAndAMalformedOneRefused() async throws {
        try await onOwnThread {
            let scratch = try TemporaryDirectory("pg-copy-checkpoints-tampered")
            let db = scratch.path("credit.db"), key = scratch.path("credit.audit.key"), path = scratch.path("credit.audit.checkpoints")
            #expect(try CreditCtl.demo(db).status == 0)
            var lines = try Self.lines(path)
            var fields = lines[0].split(separator: " ").map(String.init)
            fields[4] = "2000-01-01T00:00:00Z"   // the `at` of checkpoint 1
            lines[0] = fields.joined(separator: " ")
            try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)

            let url = try TestPostgres.database()
            let copy = try CreditCtl.run(["db", "copy", "--from", db, "--to", url])
            #expect(copy.status == 0, "\(copy.stderr)")
            #expect(copy.stdout.contains("audit_checkpoint"), "\(copy.stdout)")
            let (s, vs) = try Self.verify(db: db, key: key)
            let (p, vp) = try Self.verify(db: url, key: key)
            #expect(s.status == 1 && p.status == 1, "\(s.stdout) | \(p.stdout)")
            #expect(vp.problems.map(\.kind) == vs.problems.map(\.kind) && vp.problems.map(\.kind).contains("bad_checkpoint_signature"),
                    "\(p.stdout) vs \(s.stdout)")

            try (lines.joined(separator: "\n") + "\nnot a checkpoint\n").write(toFile: path, atomically: true, encoding: .utf8)
            let fresh = try TestPostgres.database()
            let refused = try CreditCtl.run(["db", "copy", "--from", db, "--to", fresh])
            #expect(refused.status == 65, "\(refused.stderr)")
            #expect(refused.stderr.contains("line \(lines.count + 1) of the audit checkpoint file"), "\(refused.stderr)")
            #expect(try TestPostgres.psql(fresh, "SELECT count(*) FROM subject").trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        }
    }
}
