import CreditOperations
import CreditTestSupport
import FeedIngest
import Foundation
import Testing

/// The feed ledger's reading (`feeds list/show/rejects/pending`) on PostgreSQL answers as on
/// the SQLite registry it was copied from.
@Suite(.serialized)
struct FeedLedgerOnPostgresTests {
    @Test func theLedgerReadsTheSameOnBothBackends() async throws {
        try await onOwnThread {
            let fixture = try ReadSideFixture.shared.get()
            let (sqlite, postgres) = (try fixture.operations(.sqlite), try fixture.operations(.postgres))
            let feeds = try sqlite.feeds()
            #expect(feeds.count >= 6)
            #expect(try canonicalJSON(postgres.feeds()) == canonicalJSON(feeds))
            for key in feeds.map { String($0.id) } + feeds.map(\.feedID) + ["999999", "no-such-feed"] {
                #expect(try canonicalJSON(postgres.feed(key)) == canonicalJSON(sqlite.feed(key)), "feed \(key)")
                #expect(try canonicalJSON(postgres.rejects(of: key)) == canonicalJSON(sqlite.rejects(of: key)), "rejects of \(key)")
            }
            let rejects = try sqlite.rejects(of: nil)
            #expect(!rejects.isEmpty)
            #expect(try canonicalJSON(postgres.rejects(of: nil)) == canonicalJSON(rejects))
            let pending = try sqlite.pendingRecords()
            #expect(!pending.isEmpty)
            #expect(try canonicalJSON(postgres.pendingRecords()) == canonicalJSON(pending))
        }
    }
}
