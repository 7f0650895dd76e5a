import CreditRegistry
import CreditTestSupport
import Foundation
import Testing

/// The registry warm-up a server starts: what it asks of the kernel and when it declines.
@Suite struct PageCacheWarmUpTests {
    @Test func aRegistryFileIsAdvisedWhole() throws {
        let dir = try TemporaryDirectory("warm-up")
        let path = dir.path("credit.db")
        let registry = try Registry(path: path)
        try registry.writer.write { db in try db.execute(sql: "CREATE TABLE filler(x BLOB); INSERT INTO filler VALUES (zeroblob(300000))") }
        try registry.writer.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(size > 300_000)
        #expect(PageCacheWarmUp.advise(path: path) == .advised(bytes: Int64(size)))
    }

    @Test func aFileLargerThanTheBudgetIsLeftAlone() throws {
        let dir = try TemporaryDirectory("warm-up")
        let path = dir.path("big.db")
        try Data(count: 64 * 1024).write(to: URL(fileURLWithPath: path))
        #expect(PageCacheWarmUp.advise(path: path, budget: 4096) == .tooLarge(bytes: 65536, budget: 4096))
        #expect(PageCacheWarmUp.advise(path: path, budget: 65536) == .advised(bytes: 65536))
    }

    @Test func aMissingFileIsAFailureNamingIt() async throws {
        let dir = try TemporaryDirectory("warm-up")
        let path = dir.path("absent.db")
        let outcome = await withCheckedContinuation { continuation in
            PageCacheWarmUp.start(path: path) { continuation.resume(returning: $0) }
        }
        guard case .failed(let reason) = outcome else {
            Issue.record("expected a failure, got \(outcome)")
            return
        }
        #expect(reason.contains(path))
        #expect(reason.contains("No such file"))
    }
}
