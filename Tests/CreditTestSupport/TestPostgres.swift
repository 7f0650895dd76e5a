import Foundation

/// A PostgreSQL cluster for the tests that run against PostgreSQL: the one `CREDIT_TEST_PG`
/// names (scripts/test starts a throw-away cluster and sets it), else one this process starts
/// with scripts/pg-cluster in a temporary directory and stops when it exits.
///
/// There is no skipping: when neither works, ``database()`` throws and the test fails, so a CI
/// machine without PostgreSQL shows red instead of passing quietly.
///
/// ```swift
/// let url = try TestPostgres.database()   // a new, empty database on the cluster
/// ```
public enum TestPostgres {
    /// The cluster's URL (its `postgres` database), started on first use.
    public static func clusterURL() throws -> String { try cluster.get() }

    private static let cluster: Result<String, any Error> = Result {
        if let url = ProcessInfo.processInfo.environment["CREDIT_TEST_PG"], !url.isEmpty { return url }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("credit-pg-\(getpid())").path
        let port = 40000 + Int(getpid() % 20000)
        let out = try run("/bin/bash", [script, "start", dir, String(port)])
        stopDirectory = dir
        atexit { if let dir = TestPostgres.stopDirectory { _ = try? TestPostgres.run("/bin/bash", [TestPostgres.script, "stop", dir]) } }
        return out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    nonisolated(unsafe) private static var stopDirectory: String?

    /// scripts/pg-cluster of this checkout.
    static let script: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("scripts/pg-cluster").path
    }()

    /// Creates a new, empty database on the cluster and returns its URL.
    public static func database() throws -> String {
        let base = try clusterURL()
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        _ = try psql(base, "CREATE DATABASE \(name)")
        return replacingDatabase(in: base, with: name)
    }

    /// Runs SQL with psql against `url` and returns its unaligned, tuples-only output.
    @discardableResult
    public static func psql(_ url: String, _ sql: String) throws -> String {
        try run(tool("psql"), ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql])
    }

    /// The path of a PostgreSQL client tool (`psql`, `pg_dump`) of the newest installed version.
    static func tool(_ name: String) throws -> String {
        try FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql").sorted().last
            .map { "/usr/lib/postgresql/\($0)/bin/\(name)" } ?? "/usr/bin/\(name)"
    }

    /// The same URL naming database `name`.
    public static func replacingDatabase(in url: String, with name: String) -> String {
        guard var c = URLComponents(string: url) else { return url }
        c.path = "/" + name
        return c.string ?? url
    }

    /// Runs a tool to its end (output through files: ``FileOutputProcess``); a non-zero exit
    /// throws with what it wrote to standard error.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let r = try FileOutputProcess.run(URL(fileURLWithPath: tool), arguments)
        guard r.status == 0 else {
            throw TestPostgresError(message: "\(tool) \(arguments.joined(separator: " ")) failed: " + r.stderr)
        }
        return r.stdout
    }
}

/// PostgreSQL is not there for the tests: install it (scripts/setup) or set CREDIT_TEST_PG.
public struct TestPostgresError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { "PostgreSQL for the tests: \(message)" }
}
