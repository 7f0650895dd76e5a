import CreditTestSupport
import CreditRegistry
import Foundation
import Testing

/// `creditctl users` through the real binary: tokens printed once, stored as digests, every
/// change audited; the token file's checks refuse with a message naming the entry — on SQLite
/// and on PostgreSQL.
@Suite
struct UsersCommandTests {
    let scratch: TemporaryDirectory
    let root = CreditCtlBinary.packageRoot

    init() throws {
        scratch = try TemporaryDirectory("users")
    }

    func tokenFile(_ json: String, mode: mode_t = 0o600) throws -> String {
        let path = scratch.path("tokens-\(UUID().uuidString).json")
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, mode)
        return path
    }

    @Test(arguments: TestBackend.allCases) func addListRotateRevokeAreStoredHashedAndAudited(_ backend: TestBackend) throws {
        let run = try RegistryCLI(backend, in: scratch)
        let add = try run(["users", "add", "officer-07", "--role", "officer", "--department", "sat", "--actor", "cli:admin"])
        #expect(add.status == 0, "\(add.stderr)")
        let token = add.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("cct_") && token.count == 47, "256 random bits, base64url")
        #expect(add.stderr.contains("shown once"))
        let again = try run(["users", "add", "officer-07", "--role", "bank"])
        #expect(again.status == 65 && again.stderr.contains("already exists"))
        let noDept = try run(["users", "add", "officer-08", "--role", "officer"])
        #expect(noDept.status == 65 && noDept.stderr.contains("--department"))

        let rotate = try run(["users", "rotate", "officer-07", "--actor", "cli:admin"])
        let rotated = rotate.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(rotate.status == 0 && rotated != token && rotated.hasPrefix("cct_"))
        #expect(try run(["users", "revoke", "officer-07", "--actor", "cli:admin"]).status == 0)
        #expect(try run(["users", "revoke", "nobody"]).status == 65)

        let list = try run(["users", "list", "--format", "csv"])
        #expect(list.status == 0)
        #expect(list.stdout.contains("officer-07,officer,sat,") && !list.stdout.hasSuffix(",\n"), "revoked, with its time: \(list.stdout)")
        #expect(!list.stdout.contains(token) && !list.stdout.contains(rotated))

        // The database holds neither token, only digests.
        let bytes = try run.registry.storedBytes()
        #expect(bytes.range(of: Data(rotated.utf8)) == nil && bytes.range(of: Data(token.utf8)) == nil)
        let audit = try run(["audit", "list", "--format", "json", "--limit", "10"])
        let details = audit.stdout.split(separator: "\n").filter { $0.contains("\"action\":\"account\"") }
        #expect(details.count == 3 && details.allSatisfy { $0.contains("cli:admin") }, "\(audit.stdout)")
    }

    @Test(arguments: TestBackend.allCases) func importRefusesDuplicateWeakAndReadableTokenFiles(_ backend: TestBackend) throws {
        let run = try RegistryCLI(backend, in: scratch)
        let good = "officer-token-0123456789"
        let cases: [(json: String, mode: mode_t, message: String)] = [
            ("[{\"token\":\"\(good)\",\"name\":\"a\",\"role\":\"officer\",\"department\":\"sat\"},{\"token\":\"\(good)\",\"name\":\"b\",\"role\":\"bank\"}]",
             0o600, "entry 2 (b): the same token as entry 1"),
            ("[{\"token\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"name\":\"a\",\"role\":\"bank\"}]", 0o600, "entry 1 (a): weak token"),
            ("[{\"token\":\"short-1\",\"name\":\"a\",\"role\":\"bank\"}]", 0o600, "shorter than 24 characters"),
            ("[{\"token\":\"\(good)\",\"name\":\"a\",\"role\":\"bank\"}]", 0o644, "readable or writable by group or others"),
            ("[{\"token\":\"\(good)\",\"name\":\"a\",\"role\":\"king\"}]", 0o600, "not a JSON array"),
        ]
        for c in cases {
            let r = try run(["users", "import", try tokenFile(c.json, mode: c.mode)])
            #expect(r.status == 65 && r.stderr.contains(c.message), "\(c.message): \(r.stderr)")
        }
        let list = try run(["users", "list", "--format", "csv"])
        #expect(list.stdout.split(separator: "\n").count == 1, "nothing imported from a refused file")
        let ok = try run(["users", "import", try tokenFile("[{\"token\":\"\(good)\",\"name\":\"a\",\"role\":\"officer\",\"department\":\"sat\"}]")])
        #expect(ok.status == 0 && ok.stderr.contains("imported 1 accounts"), "\(ok.stderr)")
    }

    @Test(arguments: TestBackend.allCases) func theCommandLineCheckIsAuditedAndShowsPersonsAsToBanks(_ backend: TestBackend) throws {
        let run = try RegistryCLI(backend, in: scratch)
        for f in ["feeds/commerce-0001-full.xml", "feeds/commerce-0002-delta.xml", "feeds/food-0001-full.xml", "feeds/tax-0001-full.xml"] {
            #expect(try run(["ingest", root.appendingPathComponent("samples/\(f)").path]).status != 74)
        }
        #expect(try run(["bridge", "import-national", root.appendingPathComponent("samples/national/dishonest-debtors.csv").path]).status == 0)
        #expect(try run(["rules", "activate", root.appendingPathComponent("rules").path]).status == 0)
        let input = scratch.path("in.csv")
        try Data("code,name\n350221197203140316,陈建国\n91350200MA2XH1K70Y,x\n".utf8).write(to: URL(fileURLWithPath: input))
        let check = try run(["check", input, "--format", "json", "--actor", "cli:bank-desk"])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(!check.stdout.contains("陈") && !check.stdout.contains("tax_exit_ban"), "\(check.stdout)")
        let audit = try run(["audit", "list", "--format", "json", "--limit", "5"])
        #expect(audit.stdout.contains("\"action\":\"check\"") && audit.stdout.contains("cli:bank-desk") && audit.stdout.contains("2 rows"))
    }
}
