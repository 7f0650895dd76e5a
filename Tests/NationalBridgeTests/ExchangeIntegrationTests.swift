import CreditOperations
import CreditRegistry
import Foundation
import NationalBridge
import Testing

/// The city against the reference peer on 127.0.0.1: list changes and feedback arrive exactly
/// once and in order, whatever the peer does wrong on the way, and reconciliation agrees.
@Suite struct ExchangeIntegrationTests {
    let fixture: ExchangeFixture
    init() throws {
        fixture = try ExchangeFixture()
        try fixture.recordSomeFeedback(3)
    }

    /// The peer holds exactly what the outbox produced, each once, in sequence order, and the
    /// city's outbox is all acknowledged; reconciliation finds no difference.
    func expectExactlyOnce(port: Int) async throws {
        let produced = try fixture.produced()
        let received = try fixture.store.messages(from: "350200")
        #expect(received == produced)
        #expect(Set(received.map(\.id)).count == received.count)
        let status = try fixture.ops.outboxStatus()
        #expect(status.queued == 0 && status.inFlight == 0 && status.acknowledged == produced.count)
        let results = try await Reconciler(operations: fixture.ops, identity: fixture.city, peer: fixture.nationalPeer(port: port)).reconcile()
        #expect(!results.isEmpty)
        for r in results { #expect(r.matches, "\(r.list): \(r.onlyLocal) vs \(r.onlyRemote)") }
    }

    @Test func listChangesAndFeedbackArriveExactlyOnceInOrder() async throws {
        let produced = try fixture.produced()
        #expect(produced.contains { $0.kind == "list-entry" } && produced.contains { $0.kind == "measure-feedback" })
        try await fixture.withPeer { port in
            let summary = try await fixture.sender(port: port, batchSize: 4).push()
            #expect(summary.accepted == produced.count && summary.duplicates == 0 && summary.failures == 0)
            let again = try await fixture.sender(port: port).push()
            #expect(again.sent == 0)
            // Per subject, the messages arrive in the order of their changes.
            let received = try fixture.store.messages(from: "350200")
            for subject in Set(received.compactMap(\.subject)) {
                #expect(received.filter { $0.subject == subject }.map(\.sequence) == produced.filter { $0.subject == subject }.map(\.sequence))
            }
            try await expectExactlyOnce(port: port)
        }
    }

    @Test func fiveHundredsAreRetriedWithBackoff() async throws {
        var faults = PeerFaults()
        faults.failNext = 3
        try await fixture.withPeer(faults: faults) { port in
            let summary = try await fixture.sender(port: port, batchSize: 5).push()
            #expect(summary.failures == 3)
            try await expectExactlyOnce(port: port)
        }
    }

    @Test func aConnectionDroppedMidBatchLosesAndDuplicatesNothing() async throws {
        var faults = PeerFaults()
        faults.dropNext = 2
        faults.dropAfter = 3
        try await fixture.withPeer(faults: faults) { port in
            let summary = try await fixture.sender(port: port, batchSize: 5).push()
            #expect(summary.failures == 2)
            #expect(summary.duplicates == 3, "the three messages stored before the first drop come back as duplicates")
            try await expectExactlyOnce(port: port)
        }
    }

    @Test func aLostAnswerMeansDuplicateDeliveryStoredOnce() async throws {
        var faults = PeerFaults()
        faults.duplicateNext = 1
        try await fixture.withPeer(faults: faults) { port in
            let summary = try await fixture.sender(port: port, batchSize: 5).push()
            #expect(summary.failures == 1 && summary.duplicates == 5)
            try await expectExactlyOnce(port: port)
        }
    }

    @Test func aPeerDownThenUp() async throws {
        // Nobody listens on the port yet: every attempt fails and nothing is lost.
        let idle = try await fixture.withPeer { port in port }
        await #expect(throws: TransportError.self) { try await fixture.sender(port: idle).push(maxFailures: 3) }
        let status = try fixture.ops.outboxStatus()
        #expect(status.acknowledged == 0 && status.inFlight > 0)
        let state = try #require(status.peers.first { $0.peer == "national" })
        #expect(state.failing && state.failures == 3 && state.lastError != nil)
        try await fixture.withPeer { port in
            _ = try await fixture.sender(port: port).push()
            try await expectExactlyOnce(port: port)
            let failing = try fixture.ops.outboxStatus().peers.first { $0.peer == "national" }?.failing
            #expect(failing == false)
        }
    }

    @Test func anAcknowledgementWithABadSignatureIsNotBelieved() async throws {
        var faults = PeerFaults()
        faults.badSignature = true
        try await fixture.withPeer(faults: faults) { port in
            await #expect(throws: TransportError.self) { try await fixture.sender(port: port).push(maxFailures: 2) }
            let acknowledged = try fixture.ops.outboxStatus().acknowledged
            #expect(acknowledged == 0, "nothing is marked on an answer that does not verify")
        }
        try await fixture.withPeer { port in
            let summary = try await fixture.sender(port: port).push()
            let produced = try fixture.produced().count
            #expect(summary.accepted == 0 && summary.duplicates == produced)
            try await expectExactlyOnce(port: port)
        }
    }
}

extension ExchangeFixture {
    /// Runs a peer, returns what the body returns after the peer has stopped.
    func withPeer<T: Sendable>(_ body: @escaping @Sendable (Int) async throws -> T) async throws -> T {
        let box = LockedBox<T?>(nil)
        try await withPeer(faults: PeerFaults()) { port in box.value = try await body(port) }
        return box.value!
    }
}
