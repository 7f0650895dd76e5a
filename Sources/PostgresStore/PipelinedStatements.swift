import CreditRegistry
import NIOCore
import PostgresNIO

/// Statements of one transaction sent on one session without waiting for each: a write whose
/// result nobody reads is queued behind the ones before it (the connection runs them in order),
/// and a read waits for its own answer, so it sees every write sent before it. ``drain()``
/// waits for them all and throws the first failure, naming its statement.
///
/// Used from one thread (the feed's writer), like the session it wraps.
final class PipelinedStatements {
    let session: PostgresSession
    private var pending: [(future: EventLoopFuture<PostgresQueryResult>, what: String)] = []
    /// Writes in flight before the writer waits for them (bounds memory and the server's queue).
    private let window = 512

    init(session: PostgresSession) { self.session = session }

    /// Queues a write; its failure comes out of the next ``drain()`` or read.
    func send(_ query: PostgresQuery, _ what: String) throws {
        pending.append((session.connection.query(query, logger: session.logger), what))
        if pending.count >= window { try drain() }
    }

    /// Runs a read (after the writes queued before it) and returns its rows.
    func query(_ query: PostgresQuery, _ what: String) throws -> [PostgresRow] {
        let future = session.connection.query(query, logger: session.logger)
        do {
            let rows = try future.wait().rows
            return rows
        } catch {
            // A write queued earlier may have failed first (the transaction is then aborted):
            // report that one, it is the cause.
            try drain()
            throw PostgresStoreError.statement(what, PostgresSession.message(error))
        }
    }

    /// Waits for every queued write; throws the first failure.
    func drain() throws {
        let sent = pending
        pending.removeAll(keepingCapacity: true)
        var failure: (any Error)?
        for (future, what) in sent {
            do { _ = try future.wait() } catch {
                if failure == nil { failure = PostgresStoreError.statement(what, PostgresSession.message(error)) }
            }
        }
        if let failure { throw failure }
    }
}
