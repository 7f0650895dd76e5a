import Foundation
import PostgresNIO

/// Where a PostgreSQL registry lives, parsed from a `postgres://` (or `postgresql://`) URL:
///
/// - `postgres://user:password@host:5432/credit` — TCP (no TLS: a cluster on a private network
///   or the loopback address);
/// - `postgresql://user@/credit?host=/run/postgresql&port=5432` — a Unix socket in that
///   directory (`DIR/.s.PGSQL.PORT`), as libpq spells it.
///
/// The user defaults to `$PGUSER`, else `postgres`; the database to the user's name.
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    public var host: String?
    public var socketDirectory: String?
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String

    /// True when `text` names a PostgreSQL database rather than a SQLite file.
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Parses a `postgres://` URL; throws ``PostgresStoreError/badURL(_:_:)`` saying what is wrong.
    public init(url text: String) throws {
        guard Self.isURL(text) else { throw PostgresStoreError.badURL(text, "it must begin with postgres:// or postgresql://") }
        guard let c = URLComponents(string: text) else { throw PostgresStoreError.badURL(Self.redacted(text), "not a URL") }
        let query = Dictionary((c.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        let user = c.user.flatMap { $0.isEmpty ? nil : $0 } ?? query["user"]
            ?? ProcessInfo.processInfo.environment["PGUSER"] ?? "postgres"
        self.user = user
        password = c.password ?? query["password"]
        if let portText = query["port"] ?? c.port.map(String.init) {
            guard let p = Int(portText), (1...65535).contains(p) else { throw PostgresStoreError.badURL(Self.redacted(text), "port \(portText) is not a port number") }
            port = p
        } else {
            port = 5432
        }
        let hostText = query["host"] ?? c.host.flatMap { $0.isEmpty ? nil : $0 }
        if let hostText, hostText.hasPrefix("/") {
            socketDirectory = hostText; host = nil
        } else {
            host = hostText ?? "127.0.0.1"; socketDirectory = nil
        }
        let name = c.path.hasPrefix("/") ? String(c.path.dropFirst()) : c.path
        database = name.isEmpty ? user : name
        guard !database.contains("/") else { throw PostgresStoreError.badURL(Self.redacted(text), "the database name '\(database)' contains '/'") }
    }

    /// The connection configuration for postgres-nio.
    var configuration: PostgresConnection.Configuration {
        if let socketDirectory {
            return .init(unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: user, password: password, database: database)
        }
        return .init(host: host ?? "127.0.0.1", port: port, username: user, password: password, database: database, tls: .disable)
    }

    /// The URL without its password (for messages and logs).
    public var description: String {
        if let socketDirectory { return "postgresql://\(user)@/\(database)?host=\(socketDirectory)&port=\(port)" }
        return "postgres://\(user)@\(host ?? "127.0.0.1"):\(port)/\(database)"
    }

    private static func redacted(_ text: String) -> String {
        guard let at = text.firstIndex(of: "@"), let scheme = text.range(of: "://") else { return text }
        let credentials = text[scheme.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return text }
        return text.replacingCharacters(in: colon..<at, with: ":***")
    }
}
