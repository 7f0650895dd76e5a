import CreditOperations
import CreditRegistry
import CreditTestSupport
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import NationalBridge
import SMCrypto

/// A city registry built from the samples (rules active, feedback recorded) and a reference
/// peer with its own keys and store, ready to run on 127.0.0.1.
final class ExchangeFixture: Sendable {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let scratch: TemporaryDirectory
    let ops: CreditOperations
    let city: ExchangeIdentity
    let national: ExchangeIdentity
    let cityPublic: SM2PublicKey
    let nationalPublic: SM2PublicKey
    let store: PeerStore

    init(lists: [String: String] = [:]) throws {
        scratch = try TemporaryDirectory("exchange")
        ops = try CreditOperations.open(path: scratch.path("credit.db"), clock: .fixed(try Day("2025-07-10")))
        for f in ["feeds/commerce-0001-full.xml", "feeds/commerce-0002-delta.xml", "feeds/tax-0001-full.xml"] {
            _ = try ops.ingestFeed(path: Self.root.appendingPathComponent("samples/\(f)").path)
        }
        _ = try ops.activateRules(paths: [Self.root.appendingPathComponent("rules").path], author: "test")
        let (cityKey, cityPub) = try OpenSSLTool.makeKeyPair(in: scratch, name: "city")
        let (natKey, natPub) = try OpenSSLTool.makeKeyPair(in: scratch, name: "national")
        city = ExchangeIdentity(id: "350200", key: try SM2PrivateKey(pem: try String(contentsOfFile: cityKey, encoding: .utf8)))
        national = ExchangeIdentity(id: "national", key: try SM2PrivateKey(pem: try String(contentsOfFile: natKey, encoding: .utf8)))
        cityPublic = try SM2PublicKey(pem: try String(contentsOfFile: cityPub, encoding: .utf8))
        nationalPublic = try SM2PublicKey(pem: try String(contentsOfFile: natPub, encoding: .utf8))
        store = try PeerStore(path: scratch.path("national.db"))
        let dir = scratch.path("lists")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, text) in lists { try text.write(toFile: "\(dir)/\(name)", atomically: true, encoding: .utf8) }
    }

    /// The peer, as the national platform configures it (it knows the city's public key).
    func peer(faults: PeerFaults = PeerFaults()) throws -> ReferencePeer {
        let config = ExchangeConfig(identity: national, peers: PeerDirectory([
            ExchangePeer(id: city.id, url: nil, dropDirectory: "/nonexistent", publicKey: cityPublic)]))
        return ReferencePeer(config: config, store: store, lists: try NationalListSource(directory: scratch.path("lists")), faults: faults)
    }

    /// The national platform as the city configures it.
    func nationalPeer(port: Int) -> ExchangePeer {
        ExchangePeer(id: "national", url: "http://127.0.0.1:\(port)", dropDirectory: nil, publicKey: nationalPublic)
    }

    func sender(port: Int, batchSize: Int = 200) -> OutboxSender {
        var s = OutboxSender(operations: ops, identity: city, peer: nationalPeer(port: port),
                             transport: HTTPTransport(baseURL: "http://127.0.0.1:\(port)", timeout: .seconds(5)))
        s.batchSize = batchSize
        s.backoff = Backoff(base: 0.01, cap: 0.05)
        return s
    }

    /// Runs `body` with the peer serving on a free port of 127.0.0.1.
    func withPeer(faults: PeerFaults = PeerFaults(), _ body: @Sendable (Int) async throws -> Void) async throws {
        let app = try peer(faults: faults).application(host: "127.0.0.1", port: 0)
        try await app.test(.live) { client in try await body(client.port!) }
    }

    /// Records feedback for the first few measures in force (queued after the feeds' list changes).
    func recordSomeFeedback(_ count: Int) throws {
        let rows = try ops.registry.read { db in
            try Row.fetchAll(db, sql: """
                SELECT subject_code, measure, department FROM decision WHERE via_code IS NULL AND valid_from <= '2025-07-09'
                AND (valid_until IS NULL OR valid_until > '2025-07-09') ORDER BY subject_code, measure LIMIT ?
                """, arguments: [count]).map { [$0[0], $0[1], $0[2]] as [String] }
        }
        for (i, r) in rows.enumerated() {
            _ = try ops.recordFeedback(FeedbackRequest(subject: r[0], measure: r[1], department: r[2], caseNumber: "CASE-\(i)",
                                                       appliedOn: try Day("2025-07-09"), officer: "test:officer"))
        }
    }

    /// The outbox as (id, sequence, kind, subject, payload), for comparing with the peer's store.
    func produced() throws -> [PeerStore.Stored] {
        try ops.registry.read { db in try Outbox().all(in: db) }.map {
            PeerStore.Stored(id: Envelope.messageID(sender: city.id, sequence: $0.sequence), sequence: $0.sequence, kind: $0.kind.rawValue,
                             subject: $0.subjectCode, payload: $0.payload)
        }
    }
}
