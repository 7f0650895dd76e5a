import CreditTestSupport
import Foundation
import Testing

/// `creditctl users` on a PostgreSQL registry: the same refusals, listings and audit entries as
/// on SQLite, and tokens that the servers of that database accept or refuse accordingly.
@Suite struct AccountsOnPostgresTests {
    @Test func usersCommandsDoOnPostgresWhatTheyDoOnSQLite() async throws {
        try await onOwnThread {
            let scratch = try TemporaryDirectory("accounts-pg")
            let demo = try DemoOnPostgres(scratch)
            let tokens = try Self.tokenFile(scratch.path("tokens.json"), [("carol", "bank"), ("dave", "auditor")])
            let clash = try Self.tokenFile(scratch.path("clash.json"), [("erin", "bank"), ("alice", "bank")])
            var listings: [String] = []
            var rotated: [String: String] = [:]
            for target in [demo.db, demo.url] {
                func ctl(_ arguments: [String]) throws -> ProcessOutput {
                    try CreditCtl.run(["users"] + arguments + ["--db", target, "--audit-key", demo.key])
                }
                let bob = try ctl(["add", "bob", "--role", "bank", "--actor", "admin"])
                #expect(bob.status == 0, "\(target): \(bob.stderr)")
                let again = try ctl(["add", "bob", "--role", "auditor"])
                #expect(again.status == 65 && again.stderr.contains("an account named 'bob' already exists"), "\(target): \(again.stderr)")
                let refused = try ctl(["import", clash])
                #expect(refused.status == 65 && refused.stderr.contains("'alice' already exists"), "\(target): \(refused.stderr)")
                #expect(try ctl(["import", tokens]).status == 0)
                #expect(try ctl(["revoke", "bob"]).status == 0)
                let nobody = try ctl(["revoke", "nobody"])
                #expect(nobody.status == 65 && nobody.stderr.contains("no account named 'nobody'"), "\(target): \(nobody.stderr)")
                let rotate = try ctl(["rotate", "alice"])
                #expect(rotate.status == 0, "\(target): \(rotate.stderr)")
                rotated[target] = rotate.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                let list = try ctl(["list", "--format", "csv"])
                #expect(list.status == 0, "\(target): \(list.stderr)")
                // Names, roles, departments and whether revoked; the times differ between the runs.
                listings.append(list.stdout.split(separator: "\n").map { line in
                    let f = line.split(separator: ",", omittingEmptySubsequences: false)
                    return "\(f[0]),\(f[1]),\(f[2]),\(f[4].isEmpty ? "live" : "revoked")"
                }.joined(separator: "\n"))
            }
            #expect(listings[0] == listings[1])
            #expect(listings[1] == """
                name,role,department,revoked
                alice,officer,sat,live
                bob,bank,,revoked
                carol,bank,,live
                dave,auditor,,live
                """)
            // Only digests are stored; the rotated token's is alice's now, the old one's is gone.
            let newToken = try #require(rotated[demo.url])
            let digest = try TestPostgres.psql(demo.url, "SELECT token_digest FROM account WHERE name = 'alice'")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(digest == Self.sha256Hex(newToken))
            #expect(try TestPostgres.psql(demo.url, "SELECT count(*) FROM account WHERE token_digest = '\(Self.sha256Hex(demo.token))'")
                .trimmingCharacters(in: .whitespacesAndNewlines) == "0")
            // Every change audited in the database's chain (alice's creation came with the copy):
            // add bob, import carol and dave, revoke bob, rotate alice.
            let entries = try TestPostgres.psql(demo.url, "SELECT detail FROM audit WHERE action = 'account' ORDER BY id")
                .split(separator: "\n").map(String.init)
            #expect(entries == ["add alice role officer department sat", "add bob role bank", "import carol role bank", "import dave role auditor",
                                "revoke bob role bank", "rotate alice role officer department sat"], "\(entries)")
            let verify = try CreditCtl.run(["audit", "verify", "--db", demo.url, "--audit-key", demo.key])
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        }
    }

    @Test func aServerOnPostgresAcceptsTheTokensTheCommandsIssued() async throws {
        let scratch = try TemporaryDirectory("accounts-pg-serve")
        // The commands run as subprocesses: on a thread of their own, not the cooperative pool.
        let (demo, bank, rotated, code) = try await onOwnThread {
            let demo = try DemoOnPostgres(scratch)
            func ctl(_ arguments: [String]) throws -> ProcessOutput {
                try CreditCtl.run(["users"] + arguments + ["--db", demo.url, "--audit-key", demo.key])
            }
            let bank = try ctl(["add", "bank1", "--role", "bank"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let rotated = try ctl(["rotate", "alice"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(try ctl(["revoke", "bank1"]).status == 0)
            let code = try TestPostgres.psql(demo.url, "SELECT code FROM subject ORDER BY code LIMIT 1").trimmingCharacters(in: .whitespacesAndNewlines)
            return (demo, bank, rotated, code)
        }
        let server = try await Server(["--db", demo.url, "--audit-key", demo.key], scratch: scratch.url, name: "accounts")
        defer { server.stop() }
        let path = "/v1/subjects/\(code)/measures"
        let answer = try await server.get(path, token: rotated)
        #expect(answer.status == 200, "\(answer.status) \(answer.body)")
        #expect(try await server.get(path, token: demo.token).status == 401, "the token before the rotation")
        #expect(try await server.get(path, token: bank).status == 401, "a revoked account's token")
    }

    /// A token file (mode 600) of accounts with generated strong tokens.
    static func tokenFile(_ path: String, _ accounts: [(String, String)]) throws -> String {
        let entries = accounts.map { name, role in
            ["token": "Tk-" + UUID().uuidString + "-" + UUID().uuidString.lowercased(), "name": name, "role": role]
        }
        try JSONSerialization.data(withJSONObject: entries).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        return path
    }

    static func sha256Hex(_ text: String) -> String {
        let out = try? TestPostgres.psql(try TestPostgres.clusterURL(), "SELECT encode(sha256(convert_to('\(text)', 'UTF8')), 'hex')")
        return (out ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
