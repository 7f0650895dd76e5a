import CreditOperations
import CreditRegistry
import Foundation
import NationalBridge
import SMCrypto
import Testing

/// The peer refuses a bad signature, an unknown sender, a replayed or out-of-order sequence, and
/// logs it; nothing of a refused message is stored or applied.
@Suite struct RefusalTests {
    let fixture: ExchangeFixture
    init() throws { fixture = try ExchangeFixture() }

    func entry(_ sequence: Int64, from identity: ExchangeIdentity, reference: String = "commerce:T-1") throws -> Envelope {
        let payload = try ExchangePayload.encode(ExchangePayload.ListEntry(list: "abnormal_operations", reference: reference, enteredOn: "2025-07-01",
                                                                           ground: nil, authority: nil, name: nil, subjectKind: nil))
        return try Envelope.seal(kind: "list-entry", subject: "91350200MA2XH1K70Y", payload: payload, sequence: sequence,
                                 createdAt: "2025-07-10T00:00:00Z", from: identity, to: "national")
    }

    func deliver(_ envelopes: [Envelope], port: Int) async throws -> [Acknowledgement.Result] {
        let answer = try await HTTPTransport(baseURL: "http://127.0.0.1:\(port)").deliver(EnvelopeBatch(messages: envelopes))
        #expect(answer.check(receiver: "350200", peers: PeerDirectory([fixture.nationalPeer(port: port)])) == nil)
        return try ExchangeJSON.decode(Acknowledgement.self, from: Data(answer.payload.utf8)).results
    }

    @Test func refusedMessagesAreLoggedAndNothingIsApplied() async throws {
        let (otherKey, _) = try OpenSSLTool.makeKeyPair(in: fixture.scratch, name: "impostor")
        let impostor = ExchangeIdentity(id: "350200", key: try SM2PrivateKey(pem: try String(contentsOfFile: otherKey, encoding: .utf8)))
        let stranger = ExchangeIdentity(id: "999999", key: impostor.key)
        try await fixture.withPeer { port in
            // Bad signature: the city's id, another key.
            let forged = try await deliver([try entry(1, from: impostor)], port: port)
            #expect(forged.map(\.status) == [.refused] && forged[0].code == .badSignature)
            // A payload changed after signing.
            var tampered = try entry(1, from: fixture.city)
            tampered.payload = tampered.payload.replacingOccurrences(of: "2025-07-01", with: "2020-01-01")
            #expect(try await deliver([tampered], port: port)[0].code == .digestMismatch)
            // Unknown sender: nothing can be signed back, the answer is a problem document.
            await #expect(throws: TransportError.self) {
                _ = try await HTTPTransport(baseURL: "http://127.0.0.1:\(port)").deliver(EnvelopeBatch(messages: [try entry(1, from: stranger)]))
            }
            // Out of order: 2 before 1; the batch stops at the refusal.
            let gap = try await deliver([try entry(2, from: fixture.city), try entry(3, from: fixture.city)], port: port)
            #expect(gap.count == 1 && gap[0].code == .outOfOrderSequence)
            #expect(try fixture.store.messages(from: "350200").isEmpty)
            #expect(try fixture.store.listState(of: "350200").isEmpty)

            // Accepted, then the same again (duplicate), then other content under the same sequence (replay).
            #expect(try await deliver([try entry(1, from: fixture.city)], port: port).map(\.status) == [.accepted])
            #expect(try await deliver([try entry(1, from: fixture.city)], port: port).map(\.status) == [.duplicate])
            let replay = try await deliver([try entry(1, from: fixture.city, reference: "commerce:T-2")], port: port)
            #expect(replay[0].code == .replayedSequence)
            let stored = try fixture.store.messages(from: "350200")
            #expect(stored.count == 1 && stored[0].payload.contains("commerce:T-1"))
            #expect(try fixture.store.listState(of: "350200")["abnormal_operations"]?.lines == ["commerce:T-1|91350200MA2XH1K70Y|2025-07-01|"])
        }
        let codes = try fixture.store.refusals().map(\.code)
        #expect(codes == ["bad-signature", "digest-mismatch", "unknown-sender", "out-of-order-sequence", "replayed-sequence"])
    }
}
