import CreditRegistry
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// One PostgreSQL connection used from blocking code: the use-cases are synchronous and run on
/// threads of their own (the CLI's, the service's pools), so each call waits for its result.
///
/// Never call these methods from Swift's cooperative pool or an event loop: they block.
///
/// ```swift
/// let session = try PostgresSession.connect(to: PostgresLocation(url: "postgres://credit@127.0.0.1/credit"))
/// defer { session.close() }
/// let rows = try session.query("SELECT code, name FROM subject WHERE code = \(code)")
/// ```
public final class PostgresSession: @unchecked Sendable {
    // One caller at a time: a session is owned by one thread, or lent by a ``PostgresSessionPool``.
    let connection: PostgresConnection
    public let location: PostgresLocation
    let logger: Logger

    private init(connection: PostgresConnection, location: PostgresLocation, logger: Logger) {
        self.connection = connection; self.location = location; self.logger = logger
    }

    private static let ids = LockedBox(0)

    /// Opens a connection (no TLS; see ``PostgresLocation``).
    public static func connect(to location: PostgresLocation, logger: Logger = Logger(label: "credit.postgres")) throws -> PostgresSession {
        let id = ids.withValue { $0 += 1; return $0 }
        do {
            let connection = try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.any(),
                                                            configuration: location.configuration, id: id, logger: logger).wait()
            return PostgresSession(connection: connection, location: location, logger: logger)
        } catch {
            throw PostgresStoreError.connection(location.description, Self.message(error))
        }
    }

    /// Closes the connection (errors on close are of no use to anyone).
    public func close() {
        guard !connection.isClosed else { return }
        try? connection.close().wait()
    }

    deinit {
        // A session dropped without close() (a process ending): close without waiting, keeping
        // the connection alive until the channel has closed.
        if !connection.isClosed {
            let connection = self.connection
            connection.close().whenComplete { _ in _ = connection }
        }
    }

    /// Runs one or more statements without parameters (schema changes, `BEGIN`, `COMMIT`), one
    /// after the other (the extended protocol takes one statement at a time).
    public func execute(_ sql: String, _ what: @autoclosure () -> String = "statement") throws {
        for statement in SQLScript.statements(sql) {
            do { _ = try connection.query(PostgresQuery(unsafeSQL: statement), logger: logger).wait() } catch {
                throw PostgresStoreError.statement(what(), Self.message(error))
            }
        }
    }

    /// Runs a query with bound parameters and returns its rows.
    @discardableResult
    public func query(_ query: PostgresQuery, _ what: @autoclosure () -> String = "query") throws -> [PostgresRow] {
        do { return try connection.query(query, logger: logger).wait().rows } catch {
            throw PostgresStoreError.statement(what(), Self.message(error))
        }
    }

    /// Runs a query and hands each row to `onRow` as it arrives (on an event loop: keep it cheap).
    public func forEachRow(_ query: PostgresQuery, _ what: @autoclosure () -> String = "query",
                           _ onRow: @escaping @Sendable (PostgresRow) throws -> Void) throws {
        do { _ = try connection.query(query, logger: logger, onRow).wait() } catch {
            throw PostgresStoreError.statement(what(), Self.message(error))
        }
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN", "begin a transaction")
        let value: T
        do { value = try body() } catch {
            try? execute("ROLLBACK", "roll back")
            throw error
        }
        try execute("COMMIT", "commit")
        return value
    }

    /// Streams `COPY table (columns) FROM STDIN` (text format) with the chunks `produce` hands to
    /// its `send` function, in order; `produce` runs on the calling thread and may block.
    public func copy(into table: String, columns: [String], produce: (_ send: (ByteBuffer) throws -> Void) throws -> Void) throws {
        let channel = ChunkChannel()
        let connection = self.connection, logger = self.logger
        let done = LockedBox<Result<Void, any Error>?>(nil)
        let finished = DispatchSemaphore(value: 0)
        Task.detached {
            do {
                try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
                    while let chunk = await channel.next() { try await writer.write(chunk) }
                    if channel.producerFailed { throw CancellationError() }
                }
                done.value = .success(())
            } catch {
                done.value = .failure(error)
            }
            channel.abandon()
            finished.signal()
        }
        var produceError: (any Error)?
        do {
            try produce { chunk in
                guard channel.put(chunk) else { throw PostgresStoreError.statement("copy into \(table)", "the server stopped the copy") }
            }
        } catch { produceError = error }
        channel.finish(failed: produceError != nil)
        finished.wait()
        if let produceError { throw produceError }
        if case .failure(let error) = done.value { throw PostgresStoreError.statement("copy into \(table)", Self.message(error)) }
    }

    /// The server's own message when there is one (`PSQLError` hides it from `description`).
    static func message(_ error: any Error) -> String {
        if let e = error as? PSQLError {
            if let m = e.serverInfo?[.message] {
                let detail = e.serverInfo?[.detail].map { " (\($0))" } ?? ""
                return m + detail
            }
            return String(reflecting: e.code)
        }
        if let e = error as? PostgresStoreError { return e.description }
        return "\(error)"
    }
}

/// A bounded hand-over of COPY chunks from a blocking producer to the async writer: the
/// producer waits while four chunks are pending, so memory stays flat in the table's size.
final class ChunkChannel: @unchecked Sendable {
    private let condition = NSCondition()
    private var chunks: [ByteBuffer] = []
    private var finished = false
    private var failed = false
    private var abandoned = false
    private let capacity = 4

    /// Hands a chunk over; false when the consumer is gone (the copy failed).
    func put(_ chunk: ByteBuffer) -> Bool {
        condition.lock(); defer { condition.unlock() }
        while chunks.count >= capacity && !abandoned { condition.wait() }
        if abandoned { return false }
        chunks.append(chunk)
        condition.broadcast()
        return true
    }

    /// No more chunks; `failed` makes the consumer fail the copy instead of completing it.
    func finish(failed: Bool) {
        condition.lock(); defer { condition.unlock() }
        finished = true; self.failed = failed
        condition.broadcast()
    }

    /// The consumer stopped (done or failed): wakes a waiting producer.
    func abandon() {
        condition.lock(); defer { condition.unlock() }
        abandoned = true
        condition.broadcast()
    }

    /// The next chunk, nil at the end; throws when the producer failed.
    func next() async -> ByteBuffer? {
        // The wait runs off the cooperative pool's critical path: one copy at a time, in a CLI.
        await withCheckedContinuation { (c: CheckedContinuation<ByteBuffer?, Never>) in
            DispatchQueue.global().async {
                self.condition.lock(); defer { self.condition.unlock() }
                while self.chunks.isEmpty && !self.finished { self.condition.wait() }
                if self.chunks.isEmpty || self.failed { c.resume(returning: nil); return }
                let chunk = self.chunks.removeFirst()
                self.condition.broadcast()
                c.resume(returning: chunk)
            }
        }
    }

    /// Whether the producer failed (the consumer then fails the copy).
    var producerFailed: Bool { condition.lock(); defer { condition.unlock() }; return failed }
}
