import CreditTestSupport
import Foundation
import GRDB
import Testing
@testable import CreditRegistry

/// Transactions through the connection's prepared `BEGIN`/`COMMIT` statements behave as GRDB's:
/// committed work stays, a throwing body leaves nothing behind and the connection usable, and a
/// snapshot read sees one state of the database.
@Suite struct PreparedTransactionTests {
    struct Refused: Error {}

    let scratch: TemporaryDirectory
    let pool: DatabasePool

    init() throws {
        scratch = try TemporaryDirectory("prepared-transaction")
        pool = try DatabasePool(path: scratch.path("t.db"))
        try pool.write { db in try db.execute(sql: "CREATE TABLE t (n INTEGER PRIMARY KEY)") }
    }

    private func count() throws -> Int { try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t") ?? -1 } }

    @Test func committedWorkStaysAndAThrowingBodyLeavesNothing() throws {
        let outcomes = try pool.writeWithoutTransaction { db -> [String] in
            var outcomes: [String] = []
            func attempt(_ body: () throws -> Void) {
                do { try db.inPreparedTransaction(.immediate, body); outcomes.append("committed") } catch is Refused {
                    outcomes.append("refused")
                } catch {
                    outcomes.append("failed")
                }
                if db.isInsideTransaction { outcomes.append("left open") }
            }
            attempt { try db.execute(sql: "INSERT INTO t VALUES (1)"); try db.execute(sql: "INSERT INTO t VALUES (2)") }
            attempt { try db.execute(sql: "INSERT INTO t VALUES (3)"); throw Refused() }
            // A failing statement (a duplicate key) undoes the rows before it too.
            attempt { try db.execute(sql: "INSERT INTO t VALUES (4)"); try db.execute(sql: "INSERT INTO t VALUES (1)") }
            // The same prepared statements serve again.
            attempt { try db.execute(sql: "INSERT INTO t VALUES (5)") }
            return outcomes
        }
        #expect(outcomes == ["committed", "refused", "failed", "committed"])
        #expect(try pool.read { db in try Int.fetchAll(db, sql: "SELECT n FROM t ORDER BY n") } == [1, 2, 5])
    }

    @Test func aSnapshotReadSeesOneStateWhileAWriterCommits() throws {
        try pool.write { db in try db.execute(sql: "INSERT INTO t VALUES (1)") }
        let registry = try Registry(writer: pool)
        let (before, after) = try registry.readSnapshot { db -> (Int, Int) in
            let before = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t") ?? -1
            try pool.write { db in try db.execute(sql: "INSERT INTO t VALUES (2)") }   // another connection commits
            return (before, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t") ?? -1)
        }
        #expect(before == 1 && after == 1)
        #expect(try count() == 2)
        // The reader's transaction ended: the next snapshot sees the commit.
        #expect(try registry.readSnapshot { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t") } == 2)
    }
}
