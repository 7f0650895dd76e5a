import CreditRegistry
import Logging

/// Connections to one PostgreSQL database lent to blocking callers one at a time: a caller
/// borrows an idle session (or a new one), and gives it back unless it broke. At most
/// `maxIdle` idle sessions are kept; there is one session per concurrent caller, so its size
/// follows the service's look-up pool.
public final class PostgresSessionPool: Sendable {
    public let location: PostgresLocation
    private let idle = LockedBox<[PostgresSession]>([])
    private let maxIdle: Int
    private let logger: Logger

    public init(location: PostgresLocation, maxIdle: Int = 16, logger: Logger = Logger(label: "credit.postgres")) {
        self.location = location; self.maxIdle = maxIdle; self.logger = logger
    }

    /// Runs `body` with a session of its own.
    public func with<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        let session = try idle.withValue { $0.popLast() } ?? PostgresSession.connect(to: location, logger: logger)
        do {
            let value = try body(session)
            giveBack(session)
            return value
        } catch {
            if session.connection.isClosed { session.close() } else { giveBack(session) }
            throw error
        }
    }

    private func giveBack(_ session: PostgresSession) {
        let keep = idle.withValue { sessions -> Bool in
            guard sessions.count < maxIdle else { return false }
            sessions.append(session)
            return true
        }
        if !keep { session.close() }
    }

    /// Closes every idle session.
    public func close() {
        for s in idle.withValue({ s in defer { s = [] }; return s }) { s.close() }
    }
}
