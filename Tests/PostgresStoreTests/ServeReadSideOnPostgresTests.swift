import CreditTestSupport
import Foundation
import GRDB
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `creditctl serve` and the command line on PostgreSQL answer the report, the batch check and
/// the feed ledger as on SQLite; with `--read-db` the reads come from the replica while the audit
/// log and authentication stay on the primary.
@Suite(.serialized)
struct ServeReadSideOnPostgresTests {
    @Test func reportsAndChecksOverHTTPAreTheSameOnBothBackends() async throws {
        let fixture = try ReadSideFixture.shared.get()
        let dir = try TemporaryDirectory("pg-serve-read-side")
        let scratch = URL(fileURLWithPath: dir.path(""))
        let pg = try await Server(["--db", fixture.url, "--audit-key", fixture.key], scratch: scratch, name: "pg")
        defer { pg.stop() }
        let sqlite = try await Server(["--db", fixture.db], scratch: scratch, name: "sqlite")
        defer { sqlite.stop() }
        let ids = Array(fixture.codes.prefix(12)) + [fixture.withFeedback, "91350100M000100Y43"]
        for id in ids {
            for query in ["", "?unmask=true", "?department=sat"] {
                let path = "/v1/subjects/\(id)\(query)"
                let (a, b) = (try await pg.get(path, token: fixture.officerToken), try await sqlite.get(path, token: fixture.officerToken))
                #expect(a.status == b.status && a.body == b.body, "\(path): \(a.status) \(a.body) vs \(b.status) \(b.body)")
            }
        }
        let csv = "code,name\n" + fixture.codes.map { "\($0),某某" }.joined(separator: "\n") + "\n91350100M000100Y4X,x\n"
        for (token, format) in [(fixture.bankToken, "csv"), (fixture.bankToken, "json")] {
            let a = try await pg.post("/v1/check?format=\(format)", body: csv, token: token)
            let b = try await sqlite.post("/v1/check?format=\(format)", body: csv, token: token)
            #expect(a.status == 200 && a.status == b.status, "\(a.status) \(a.body) / \(b.status) \(b.body)")
            #expect(a.body == b.body)
            #expect(a.body.split(separator: "\n").count >= fixture.codes.count)
        }
    }

    @Test func theCommandLineReadsTheSameOnBothBackends() async throws {
        try await onOwnThread {
            let fixture = try ReadSideFixture.shared.get()
            let dir = try TemporaryDirectory("pg-cli-read-side")
            let input = dir.path("in.csv")
            try ("code,name\n" + fixture.codes.map { "\($0),某某" }.joined(separator: "\n") + "\n").write(toFile: input, atomically: true, encoding: .utf8)
            let rejected = try String(try fixture.read { db in try Int64.fetchOne(db, sql: "SELECT max(feed) FROM reject") ?? 0 })
            let commands: [[String]] = [
                ["report", fixture.withFeedback, "--format", "json"],
                ["report", fixture.codes[0], "--format", "text", "--unmask"],
                ["subject", "show", fixture.withFeedback, "--format", "json"],
                ["check", input, "--format", "json"],
                ["feeds", "list", "--format", "json"],
                ["feeds", "show", "1", "--format", "json"],
                ["feeds", "rejects", rejected, "--format", "json"],
                ["feeds", "pending", "--format", "json"],
            ]
            for command in commands {
                let a = try CreditCtl.run(command + ["--db", fixture.url, "--audit-key", fixture.key])
                let b = try CreditCtl.run(command + ["--db", fixture.db])
                #expect(a.status == 0 && b.status == 0, "\(command): \(a.stderr) / \(b.stderr)")
                #expect(a.stdout == b.stdout, "\(command)")
                #expect(!a.stdout.isEmpty)
            }
        }
    }

    /// `--read-db`: here the replica is a second database of the same cluster (a copy of the same
    /// registry), changed after the copy so that an answer shows where it was read.
    @Test func aServerWithAReadDatabaseReadsThereAndAuditsOnThePrimary() async throws {
        let fixture = try ReadSideFixture.shared.get()
        let replica = try TestPostgres.database()
        let copy = try CreditCtl.run(["db", "copy", "--from", fixture.db, "--to", replica])
        #expect(copy.status == 0, "\(copy.stderr)")
        let primary = try TestPostgres.database()
        #expect(try CreditCtl.run(["db", "copy", "--from", fixture.db, "--to", primary]).status == 0)
        let subject = try #require(fixture.codes.first { $0.hasPrefix("91") })
        try TestPostgres.psql(replica, "UPDATE subject SET name = '只在副本上的名称' WHERE code = '\(subject)'")
        // Authentication reads the primary: an account revoked on the replica alone still works.
        try TestPostgres.psql(replica, "UPDATE account SET revoked_at = '2026-11-30T00:00:00Z' WHERE name IN ('alice', 'bank1')")
        let (primaryAudit, replicaAudit) = (try Self.count(primary, "audit"), try Self.count(replica, "audit"))

        let dir = try TemporaryDirectory("pg-read-db")
        let server = try await Server(["--db", primary, "--read-db", replica, "--audit-key", fixture.key],
                                      scratch: URL(fileURLWithPath: dir.path("")), name: "read-db")
        defer { server.stop() }
        let report = try await server.get("/v1/subjects/\(subject)", token: fixture.officerToken)
        #expect(report.status == 200 && report.body.contains("只在副本上的名称"), "\(report.body)")
        let measures = try await server.get("/v1/subjects/\(subject)/measures", token: fixture.officerToken)
        #expect(measures.status == 200 && measures.body.contains("只在副本上的名称"), "\(measures.body)")
        let check = try await server.post("/v1/check?format=csv", body: "code,name\n\(subject),只在副本上的名称\n", token: fixture.bankToken)
        #expect(check.status == 200 && check.body.contains("只在副本上的名称"), "\(check.body)")
        // Audit entries land on the primary only.
        #expect(try Self.count(primary, "audit") == primaryAudit + 3)
        #expect(try Self.count(replica, "audit") == replicaAudit)
        server.stop()
        let verify = try CreditCtl.run(["audit", "verify", "--db", primary, "--audit-key", fixture.key])
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
        // A replica beside a SQLite registry makes no sense: refused.
        let bad = try CreditCtl.run(["serve", "--db", fixture.db, "--read-db", replica, "--port", "1"])
        #expect(bad.status == 64, "\(bad.stderr)")
    }

    static func count(_ url: String, _ table: String) throws -> Int {
        Int(try TestPostgres.psql(url, "SELECT count(*) FROM \(table)").trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }
}

extension Server {
    /// POSTs `body` as text/csv over a plain socket (HTTP/1.1, `Connection: close`) and reads the
    /// answer to its end: FoundationNetworking's client stops the process when a streamed
    /// response ends as this one does.
    func post(_ path: String, body: String, token: String) async throws -> Response {
        let port = self.port
        return try await onOwnThread {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw ServerError(message: "no socket") }
            defer { close(fd) }
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            addr.sin_port = UInt16(port).bigEndian
            let connected = withUnsafePointer(to: &addr) { p in
                p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
            guard connected else { throw ServerError(message: "cannot connect to port \(port)") }
            let payload = Array(body.utf8)
            let head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\nContent-Type: text/csv\r\n"
                + "Content-Length: \(payload.count)\r\nConnection: close\r\n\r\n"
            let request = Array(head.utf8) + payload
            var sent = 0
            while sent < request.count {
                let n = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
                guard n > 0 else { throw ServerError(message: "send failed") }
                sent += n
            }
            var answer: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n <= 0 { break }
                answer += buffer[0..<n]
            }
            let text = String(decoding: answer, as: UTF8.self)
            guard let split = text.range(of: "\r\n\r\n") else { throw ServerError(message: "no HTTP answer: \(text)") }
            let headers = text[..<split.lowerBound]
            let status = Int(headers.split(separator: " ").dropFirst().first ?? "") ?? 0
            var content = String(text[split.upperBound...])
            if headers.lowercased().contains("transfer-encoding: chunked") { content = Self.dechunked(content) }
            return Response(status: status, body: content)
        }
    }

    /// The body of a chunked transfer.
    static func dechunked(_ text: String) -> String {
        var bytes = Array(text.utf8)[...]
        var out: [UInt8] = []
        while let lineEnd = bytes.firstRange(of: [13, 10]) {
            let size = Int(String(decoding: bytes[..<lineEnd.lowerBound], as: UTF8.self).split(separator: ";")[0], radix: 16) ?? 0
            bytes = bytes[lineEnd.upperBound...]
            if size == 0 { break }
            out += bytes.prefix(size)
            bytes = bytes.dropFirst(size + 2)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
