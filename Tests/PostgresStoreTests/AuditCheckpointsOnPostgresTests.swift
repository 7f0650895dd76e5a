import CreditTestSupport
import Foundation
import GRDB
import Testing

/// Signed checkpoints of the audit log on PostgreSQL (the `audit_checkpoint` table) as on SQLite
/// (the checkpoint file): each command that audits writes one when it closes the log, `audit
/// verify` checks them, and a tail deleted from the log — which the chain alone cannot show —
/// is reported as missing on both backends.
@Suite(.serialized)
struct AuditCheckpointsOnPostgresTests {
    struct Verified: Decodable {
        var intact: Bool; var entries: Int; var checkpoints: Int; var anchored: Int64; var unanchored: Int
        struct Problem: Decodable { var kind: String; var message: String }
        var problems: [Problem]
    }

    static func verified(_ out: ProcessOutput) throws -> Verified {
        try JSONDecoder().decode(Verified.self, from: Data(out.stdout.utf8))
    }

    @Test func checkpointsAreWrittenAndVerifiedAsOnSQLite() async throws {
        try await onOwnThread {
            let scratch = try TemporaryDirectory("pg-audit-checkpoints")
            let both = try RulesOnPostgresTests.Both(scratch)
            let ingest = try both.run(["ingest", NationalListOnPostgresTests.sample("feeds/commerce-0001-full.xml")])
            #expect(ingest.sqlite.status == 0 && ingest.postgres.status == 0, "\(ingest.postgres.stderr)")
            for _ in 0..<2 {
                let r = try both.run(["report", "91350200MA2XH1K70Y"])
                #expect(r.sqlite.status == 0 && r.postgres.status == 0, "\(r.postgres.stderr)")
            }
            let (s, p) = try both.run(["audit", "verify"])
            #expect(s.status == 0 && p.status == 0, "\(s.stdout) | \(p.stdout)")
            let (vs, vp) = (try Self.verified(s), try Self.verified(p))
            #expect(vp.intact && vp.checkpoints == vs.checkpoints && vp.entries == vs.entries, "\(p.stdout) vs \(s.stdout)")
            #expect(vp.checkpoints >= 2 && vp.anchored == Int64(vp.entries) && vp.unanchored == 0, "\(p.stdout)")
            #expect(try TestPostgres.psql(both.url, "SELECT count(*) FROM audit_checkpoint") == "\(vp.checkpoints)\n")

            // The last entry deleted behind the log's back: the chain still links, the checkpoint does not.
            try DatabaseQueue(path: scratch.path("credit.audit.db")).write { db in
                try db.execute(sql: "DROP TRIGGER audit_no_delete")
                try db.execute(sql: "DELETE FROM audit WHERE id = (SELECT max(id) FROM audit)")
            }
            try TestPostgres.psql(both.url, """
                ALTER TABLE audit DISABLE TRIGGER USER; DELETE FROM audit WHERE id = (SELECT max(id) FROM audit); ALTER TABLE audit ENABLE TRIGGER USER
                """)
            let (ts, tp) = try both.run(["audit", "verify"])
            #expect(ts.status == 1 && tp.status == 1, "\(ts.stdout) | \(tp.stdout)")
            let (bs, bp) = (try Self.verified(ts), try Self.verified(tp))
            #expect(bp.problems.map(\.kind) == bs.problems.map(\.kind), "\(tp.stdout) vs \(ts.stdout)")
            #expect(bp.problems.map(\.kind) == ["missing_tail"], "\(tp.stdout)")
        }
    }

    @Test func aForgedCheckpointIsReportedAndNotChainedOnto() async throws {
        try await onOwnThread {
            let scratch = try TemporaryDirectory("pg-audit-forged")
            let url = try TestPostgres.database(), key = scratch.path("credit.audit.key")
            func run(_ arguments: [String]) throws -> ProcessOutput {
                try CreditCtl.run(arguments + ["--db", url, "--audit-key", key, "--format", "json"])
            }
            #expect(try run(["ingest", NationalListOnPostgresTests.sample("feeds/commerce-0001-full.xml")]).status == 0)
            #expect(try run(["report", "91350200MA2XH1K70Y"]).status == 0)
            try TestPostgres.psql(url, """
                ALTER TABLE audit_checkpoint DISABLE TRIGGER USER; UPDATE audit_checkpoint SET at = '2000-01-01T00:00:00Z'
                WHERE number = (SELECT max(number) FROM audit_checkpoint); ALTER TABLE audit_checkpoint ENABLE TRIGGER USER
                """)
            let verify = try run(["audit", "verify"])
            #expect(verify.status == 1)
            #expect(try Self.verified(verify).problems.map(\.kind).contains("bad_checkpoint_signature"), "\(verify.stdout)")
            // A command that audits refuses to sign after a forged checkpoint (and says so), its look-up answered.
            let report = try run(["report", "91350200MA2XH1K70Y"])
            #expect(report.status == 0)
            #expect(report.stderr.contains("audit checkpoint not written"), "\(report.stderr)")
        }
    }
}
