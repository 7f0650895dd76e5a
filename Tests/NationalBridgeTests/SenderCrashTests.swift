import CreditOperations
import CreditRegistry
import Foundation
import NationalBridge
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `creditctl bridge push` killed with SIGKILL at deterministic points (`CREDIT_CRASH_AT`) and
/// run again: the peer ends with exactly the messages produced, none twice, and reconciliation
/// finds no difference.
@Suite struct SenderCrashTests {
    static let binary: URL = {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("creditctl")
        if FileManager.default.isExecutableFile(atPath: besideTests.path) { return besideTests }
        return ExchangeFixture.root.appendingPathComponent(".build/debug/creditctl")
    }()

    let fixture: ExchangeFixture
    init() throws {
        fixture = try ExchangeFixture()
        try fixture.recordSomeFeedback(3)
    }

    /// Runs `creditctl bridge push` on a thread of its own (the peer serves in this process);
    /// returns the exit status, or the signal that ended it, negated.
    func push(port: Int, crashAt: String?) async throws -> Int32 {
        let config = fixture.scratch.path("city.json")
        try #"""
            {"self": {"id": "350200", "private_key": "city.key"},
             "peers": [{"id": "national", "url": "http://127.0.0.1:\#(port)", "public_key": "national.pub"}]}
            """#.write(toFile: config, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["bridge", "push", "--db", fixture.scratch.path("credit.db"), "--config", config, "--batch", "3", "--format", "json"]
        var env = ProcessInfo.processInfo.environment
        env["CREDITCTL_TODAY"] = "2025-07-10"
        env["CREDIT_CRASH_AT"] = crashAt
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return await withCheckedContinuation { done in
            Thread {
                process.waitUntilExit()
                done.resume(returning: process.terminationReason == .uncaughtSignal ? -process.terminationStatus : process.terminationStatus)
            }.start()
        }
    }

    @Test(arguments: ["bridge.sent:1", "bridge.delivered:1", "bridge.acknowledged:1", "bridge.sent:3", "bridge.delivered:2", "bridge.acknowledged:4"])
    func killedSenderResumesWithoutLossOrDuplicates(point: String) async throws {
        try await fixture.withPeer { port in
            let killed = try await push(port: port, crashAt: point)
            #expect(killed == -SIGKILL, "the sender did not reach \(point)")
            let rerun = try await push(port: port, crashAt: nil)
            #expect(rerun == 0)
            let produced = try fixture.produced()
            let received = try fixture.store.messages(from: "350200")
            #expect(received == produced)
            let status = try fixture.ops.outboxStatus()
            #expect(status.queued == 0 && status.inFlight == 0 && status.acknowledged == produced.count)
            let results = try await Reconciler(operations: fixture.ops, identity: fixture.city, peer: fixture.nationalPeer(port: port)).reconcile()
            let clean = results.allSatisfy(\.matches)
            #expect(clean)
        }
    }
}
