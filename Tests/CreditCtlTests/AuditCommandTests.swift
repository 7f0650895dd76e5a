import CreditTestSupport
import CreditRegistry
import Foundation
import Testing

/// The audit log from the command line: its files beside the registry, `audit verify` on an
/// untouched and a truncated log (on SQLite and PostgreSQL), the key's options, and look-ups
/// while other writers work (SQLite's file locks).
@Suite struct AuditCommandTests {
    let scratch: TemporaryDirectory
    static let company = "91350200MA2XH1K70Y"

    init() throws {
        scratch = try TemporaryDirectory("audit-cli")
    }

    /// A registry of `backend` holding the commerce bureau's full feed.
    func prepared(_ backend: TestBackend) throws -> RegistryCLI {
        let run = try RegistryCLI(backend, in: scratch)
        let ingest = try run(["ingest", "--format", "json", CreditCtlBinary.packageRoot.appendingPathComponent("samples/feeds/commerce-0001-full.xml").path])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        return run
    }

    @Test(arguments: TestBackend.allCases) func verifyPassesOnAnUntouchedLogAndNamesATruncatedTail(_ backend: TestBackend) throws {
        let run = try prepared(backend)
        for _ in 0..<3 { #expect(try run(["report", Self.company, "--format", "json"]).status == 0) }
        #expect(try FileManager.default.attributesOfItem(atPath: run.registry.auditKey)[.posixPermissions] as? Int == 0o600)
        if backend == .sqlite {
            let files = AuditFiles(beside: run.db)
            #expect(FileManager.default.fileExists(atPath: files.database))
            let checkpoints = try String(contentsOfFile: files.checkpoints, encoding: .utf8).split(separator: "\n")
            #expect(checkpoints.count == 3, "each command that audited signs a checkpoint as it ends")
        }
        let ok = try run(["audit", "verify", "--format", "table"])
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        #expect(ok.stdout.contains("audit log intact: 3 entries") && ok.stdout.contains("3 checkpoints verified"), "\(ok.stdout)")

        try run.registry.tamperWithAuditLog(sqlite: "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = 3",
                                            postgres: "ALTER TABLE audit DISABLE TRIGGER USER; DELETE FROM audit WHERE id = 3")
        let broken = try run(["audit", "verify", "--format", "table"])
        #expect(broken.status == 1)
        #expect(broken.stdout.contains("missing_tail: missing tail after checkpoint 3"), "\(broken.stdout)")
        let json = try run(["audit", "verify", "--format", "json"])
        #expect(json.stdout.contains("\"intact\":false") && json.stdout.contains("\"kind\":\"missing_tail\""))
    }

    /// SQLite only: its default place beside the registry file (PostgreSQL always names the key).
    @Test func theKeyFileComesFromTheOptionOrTheEnvironmentAndMustBeTheOwners() throws {
        let run = try prepared(.sqlite)
        let files = AuditFiles(beside: run.db)
        let key = scratch.path("keys/audit.key")
        try FileManager.default.createDirectory(atPath: scratch.path("keys"), withIntermediateDirectories: true)
        try FileManager.default.removeItem(atPath: files.key)   // made by the ingest; the log is still empty
        #expect(try run(["report", Self.company, "--format", "json", "--audit-key", key]).status == 0)
        #expect(FileManager.default.fileExists(atPath: key) && !FileManager.default.fileExists(atPath: files.key))
        let missing = try run(["audit", "verify"])
        #expect(missing.status == 74)
        #expect(missing.stderr.contains("the audit key \(files.key) is missing"), "\(missing.stderr)")
        let viaEnvironment = try run(["audit", "verify"], environment: ["CREDIT_AUDIT_KEY": key])
        #expect(viaEnvironment.status == 0, "\(viaEnvironment.stdout)\(viaEnvironment.stderr)")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: key)
        let exposed = try run(["audit", "verify", "--audit-key", key])
        #expect(exposed.status == 74)
        #expect(exposed.stderr.contains("chmod 600"), "\(exposed.stderr)")
    }

    /// SQLite only: the write lock of the registry's file.
    @Test func aReportAnswersWhileAnotherProcessHoldsTheRegistrysWriteLock() throws {
        let run = try prepared(.sqlite)
        let db = run.db, files = AuditFiles(beside: run.db)
        #expect(try run(["report", Self.company, "--format", "json"]).status == 0)   // the audit log exists
        let lock = try HeldWriteLock(db)
        defer { try? lock.release() }
        let r = try run(["report", Self.company, "--format", "json"], environment: ["CREDITCTL_BUSY_TIMEOUT": "30"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try AuditLog.open(files: files).count() == 2)
    }

    /// SQLite only: the write lock of the audit log's file.
    @Test func aReportExits74WhenAnotherProcessHoldsTheAuditLog() throws {
        let run = try prepared(.sqlite)
        let files = AuditFiles(beside: run.db)
        #expect(try run(["report", Self.company, "--format", "json"]).status == 0)
        let lock = try HeldWriteLock(files.database)
        defer { try? lock.release() }
        let r = try run(["report", Self.company, "--format", "json"], environment: ["CREDITCTL_BUSY_TIMEOUT": "0.2"])
        #expect(r.status == 74)
        #expect(r.stderr.contains("the audit log is locked by another writer; try again shortly"), "\(r.stderr)")
        #expect(r.stdout.isEmpty, "no report is shown unaudited")
    }
}
