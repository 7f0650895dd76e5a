import CreditTestSupport
import CreditRegistry
import Foundation
import Testing

/// The audit log from the command line: its files beside the registry, `audit verify` on an
/// untouched and a truncated log, the key's options, and look-ups while other writers work.
@Suite struct AuditCommandTests {
    let scratch: TemporaryDirectory
    let db: String
    var files: AuditFiles { AuditFiles(beside: db) }
    static let company = "91350200MA2XH1K70Y"

    init() throws {
        scratch = try TemporaryDirectory("audit-cli")
        db = scratch.path("credit.db")
        let root = CreditCtlBinary.packageRoot
        let ingest = try run(["ingest", "--format", "json", root.appendingPathComponent("samples/feeds/commerce-0001-full.xml").path])
        #expect(ingest.status == 0, "\(ingest.stderr)")
    }

    func run(_ args: [String], environment: [String: String] = [:]) throws -> CreditCtlBinary.Run {
        try CreditCtlBinary.run(args + ["--db", db], environment: environment)
    }

    @Test func verifyPassesOnAnUntouchedLogAndNamesATruncatedTail() throws {
        for _ in 0..<3 { #expect(try run(["report", Self.company, "--format", "json"]).status == 0) }
        #expect(FileManager.default.fileExists(atPath: files.database))
        #expect(try FileManager.default.attributesOfItem(atPath: files.key)[.posixPermissions] as? Int == 0o600)
        let checkpoints = try String(contentsOfFile: files.checkpoints, encoding: .utf8).split(separator: "\n")
        #expect(checkpoints.count == 3, "each command that audited signs a checkpoint as it ends")
        let ok = try run(["audit", "verify", "--format", "table"])
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        #expect(ok.stdout.contains("audit log intact: 3 entries") && ok.stdout.contains("3 checkpoints verified"))

        try RawSQLite.execute(files.database, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = 3")
        let broken = try run(["audit", "verify", "--format", "table"])
        #expect(broken.status == 1)
        #expect(broken.stdout.contains("missing_tail: missing tail after checkpoint 3"), "\(broken.stdout)")
        let json = try run(["audit", "verify", "--format", "json"])
        #expect(json.stdout.contains("\"intact\":false") && json.stdout.contains("\"kind\":\"missing_tail\""))
    }

    @Test func theKeyFileComesFromTheOptionOrTheEnvironmentAndMustBeTheOwners() throws {
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

    @Test func aReportAnswersWhileAnotherProcessHoldsTheRegistrysWriteLock() throws {
        #expect(try run(["report", Self.company, "--format", "json"]).status == 0)   // the audit log exists
        let lock = try HeldWriteLock(db)
        defer { try? lock.release() }
        let r = try run(["report", Self.company, "--format", "json"], environment: ["CREDITCTL_BUSY_TIMEOUT": "30"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try AuditLog.open(files: files).count() == 2)
    }

    @Test func aReportExits74WhenAnotherProcessHoldsTheAuditLog() throws {
        #expect(try run(["report", Self.company, "--format", "json"]).status == 0)
        let lock = try HeldWriteLock(files.database)
        defer { try? lock.release() }
        let r = try run(["report", Self.company, "--format", "json"], environment: ["CREDITCTL_BUSY_TIMEOUT": "0.2"])
        #expect(r.status == 74)
        #expect(r.stderr.contains("the audit log is locked by another writer; try again shortly"), "\(r.stderr)")
        #expect(r.stdout.isEmpty, "no report is shown unaudited")
    }
}
