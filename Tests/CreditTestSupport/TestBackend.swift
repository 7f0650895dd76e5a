import Foundation

/// The two registry backends one test plan runs on: a SQLite file and a PostgreSQL database.
///
/// A test whose subject is the registry's behaviour takes the backend as its argument and makes
/// the same, SQL-free assertions on both:
///
/// ```swift
/// @Test(arguments: TestBackend.allCases) func feedsAreListed(_ backend: TestBackend) throws {
///     let registry = try backend.registry(in: scratch)   // a fresh, migrated registry
///     // creditctl … + registry.arguments, with registry.environment
/// }
/// ```
///
/// There is no skipping: without PostgreSQL (see ``TestPostgres``) the `postgres` case fails.
public enum TestBackend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres

    public var description: String { rawValue }

    /// A fresh, empty registry: a SQLite path in `scratch` (the file is created by the first
    /// command that writes), or a new PostgreSQL database, migrated as `creditctl db migrate`
    /// leaves it (a copy of one migrated template per process). Its audit key file is in `scratch`.
    public func registry(in scratch: TemporaryDirectory, name: String = "credit") throws -> TestRegistry {
        switch self {
        case .sqlite:
            let db = scratch.path("\(name).db")
            return TestRegistry(backend: self, db: db, auditKey: scratch.path("\(name).audit.key"))
        case .postgres:
            return TestRegistry(backend: self, db: try MigratedTemplate.copy(), auditKey: scratch.path("\(name).audit.key"))
        }
    }

    /// The registry that `creditctl demo` builds from the bundled samples and rules, with its
    /// output: on SQLite the demo's own file, on PostgreSQL that file moved into a new database by
    /// `creditctl db copy` (the demo itself builds SQLite registries).
    public func demo(in scratch: TemporaryDirectory, today: String = "2026-11-30") throws -> (registry: TestRegistry, output: ProcessOutput) {
        let root = CreditCtlExecutable.packageRoot
        let sqlite = try TestBackend.sqlite.registry(in: scratch, name: "demo")
        let demo = try CreditCtlExecutable.run(["demo", "--db", sqlite.db,
                                                "--samples", root.appendingPathComponent("samples").path,
                                                "--rules", root.appendingPathComponent("rules").path], today: today)
        guard demo.status == 0 else { throw TestPostgresError(message: "creditctl demo failed: \(demo.stderr)") }
        guard self == .postgres else { return (sqlite, demo) }
        let url = try TestPostgres.database()
        let copy = try CreditCtlExecutable.run(["db", "copy", "--from", sqlite.db, "--to", url], today: today)
        guard copy.status == 0 else { throw TestPostgresError(message: "creditctl db copy failed: \(copy.stderr)") }
        return (TestRegistry(backend: self, db: url, auditKey: sqlite.auditKey), demo)
    }
}

/// One registry of a test: what `creditctl` is given to open it.
public struct TestRegistry: Sendable {
    public let backend: TestBackend
    /// `--db`: a SQLite path or a `postgresql://` URL.
    public let db: String
    /// The audit key file: beside the SQLite file (its default place), or in the test's scratch
    /// directory for PostgreSQL (which never stores the key).
    public let auditKey: String

    /// The environment `creditctl` needs besides `--db`: PostgreSQL takes the key file from
    /// `CREDIT_AUDIT_KEY`; SQLite finds it beside the registry.
    public var environment: [String: String] {
        backend == .postgres ? ["CREDIT_AUDIT_KEY": auditKey] : [:]
    }

    /// Everything the registry stores, as bytes: the SQLite files (registry, WAL, audit log), or
    /// a `pg_dump` of the database. For checks that something (a token, a secret) is never stored.
    public func storedBytes() throws -> Data {
        switch backend {
        case .sqlite:
            let dir = URL(fileURLWithPath: db).deletingLastPathComponent()
            let stem = URL(fileURLWithPath: db).deletingPathExtension().lastPathComponent
            var bytes = Data()
            for file in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
            where file.hasPrefix(stem) && !file.hasSuffix(".key") {
                bytes.append(try Data(contentsOf: dir.appendingPathComponent(file)))
            }
            return bytes
        case .postgres:
            return Data(try TestPostgres.run(TestPostgres.tool("pg_dump"), ["--data-only", "-d", db]).utf8)
        }
    }

    /// Runs SQL on the audit log past the application, as someone with write access to the
    /// database (tamper tests): `sqlite` on the SQLite audit file, `postgres` on the database.
    public func tamperWithAuditLog(sqlite: String, postgres: String) throws {
        switch backend {
        case .sqlite:
            let stem = URL(fileURLWithPath: db).deletingPathExtension().path
            try RawSQLite.execute(stem + ".audit.db", sqlite)
        case .postgres:
            try TestPostgres.psql(db, postgres)
        }
    }
}

/// One migrated PostgreSQL database per process (`creditctl db migrate`) that every test's new
/// database is created from (`CREATE DATABASE … TEMPLATE`), so the migrations run once.
enum MigratedTemplate {
    private static let template: Result<String, any Error> = Result {
        let base = try TestPostgres.clusterURL()
        let name = "credit_template_\(getpid())"
        try TestPostgres.psql(base, "DROP DATABASE IF EXISTS \(name)")
        try TestPostgres.psql(base, "CREATE DATABASE \(name)")
        let url = TestPostgres.replacingDatabase(in: base, with: name)
        let migrate = try CreditCtlExecutable.run(["db", "migrate", "--db", url])
        guard migrate.status == 0 else { throw TestPostgresError(message: "creditctl db migrate failed: \(migrate.stderr)") }
        return name
    }

    /// A new database copied from the migrated template.
    static func copy() throws -> String {
        let template = try template.get()
        let base = try TestPostgres.clusterURL()
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try TestPostgres.psql(base, "CREATE DATABASE \(name) TEMPLATE \(template)")
        return TestPostgres.replacingDatabase(in: base, with: name)
    }
}

/// The `creditctl` built with the tests (beside the test bundle, else `.build/debug`).
public enum CreditCtlExecutable {
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static let url: URL = {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("creditctl")
        if FileManager.default.isExecutableFile(atPath: besideTests.path) { return besideTests }
        return packageRoot.appendingPathComponent(".build/debug/creditctl")
    }()

    /// Runs creditctl to its end on the day `today`.
    public static func run(_ arguments: [String], today: String = "2025-07-10", environment: [String: String] = [:]) throws -> ProcessOutput {
        let env = ProcessInfo.processInfo.environment.merging(["CREDITCTL_TODAY": today].merging(environment) { _, n in n }) { _, n in n }
        return try FileOutputProcess.run(url, arguments, environment: env)
    }
}
