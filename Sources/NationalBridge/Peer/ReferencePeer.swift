import CreditRegistry
import Foundation
import Hummingbird
import Logging
import NIOCore

/// The reference peer: a stand-in for the national platform that speaks the exchange protocol
/// (docs/exchange.md). It stores what it receives (de-duplicated by message id, after checking
/// the signature, the sender and the sequence), serves national list pages from files, answers
/// reconciliation, and can be told to fail (``PeerFaults``) for tests and demos.
///
/// ```swift
/// let peer = try ReferencePeer(config: config, store: PeerStore(path: "national.db"), lists: NationalListSource(directory: "lists"))
/// try await peer.application(host: "127.0.0.1", port: 9400).runService()
/// ```
public struct ReferencePeer: Sendable {
    public let config: ExchangeConfig
    public let store: PeerStore
    public let lists: NationalListSource
    let faults: PeerFaultState
    let logger: Logger

    public init(config: ExchangeConfig, store: PeerStore, lists: NationalListSource, faults: PeerFaults = PeerFaults(),
                logger: Logger = Logger(label: "credit.national-peer")) {
        self.config = config; self.store = store; self.lists = lists
        self.faults = PeerFaultState(faults); self.logger = logger
    }

    /// The HTTP application on `host:port` (port 0 picks a free one; `onServerRunning` gets it).
    public func application(host: String, port: Int, onServerRunning: (@Sendable (Int) async -> Void)? = nil) -> some ApplicationProtocol {
        Application(router: router(), configuration: .init(address: .hostname(host, port: port), serverName: "national-peer"),
                    onServerRunning: { channel in await onServerRunning?(channel.localAddress?.port ?? port) }, logger: logger)
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("health") { _, _ in "ok" }
        router.post("control") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 64 * 1024)
            let f = try ExchangeJSON.decode(PeerFaults.self, from: Data(body.readableBytesView))
            faults.set(f)
            logger.notice("faults set", metadata: ["faults": "\(f)"])
            return json(try ExchangeJSON.text(f))
        }
        router.post("exchange/v1/messages") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 256 * 1024 * 1024)
            return try await receive(Data(body.readableBytesView))
        }
        router.get("exchange/v1/lists/:list/pages") { request, context -> Response in
            try await gate()
            let list = context.parameters.get("list") ?? ""
            let cursor = request.uri.queryParameters.get("cursor") ?? "0"
            let limit = request.uri.queryParameters.get("limit").flatMap { Int($0) } ?? 1_000
            let page: NationalListPage
            do { page = try lists.page(list: list, cursor: cursor, limit: min(limit, 100_000)) } catch let code as ExchangeErrorCode {
                return problem(code, "\(list)@\(cursor)")
            }
            guard let receiver = request.uri.queryParameters.get("receiver").map { String($0) } ?? config.peers.all.first?.id else {
                return problem(.unknownSender, "no peer configured to send pages to")
            }
            return json(try ExchangeJSON.text(try seal(kind: .nationalListPage, payload: try ExchangeJSON.text(page), to: receiver)))
        }
        router.get("exchange/v1/reconcile") { request, _ -> Response in
            let sender = request.uri.queryParameters.get("sender").map { String($0) } ?? ""
            let state = try store.listState(of: sender)
            let summary = ReconcileSummary(lists: state.keys.sorted().map { ExchangeJSON.summary(list: $0, lines: state[$0]!.lines, inForce: state[$0]!.inForce) })
            return json(try ExchangeJSON.text(summary))
        }
        router.get("exchange/v1/reconcile/:list") { request, context -> Response in
            let sender = request.uri.queryParameters.get("sender").map { String($0) } ?? ""
            let list = context.parameters.get("list") ?? ""
            let lines = try store.listState(of: sender)[list]?.lines.sorted() ?? []
            return json(try ExchangeJSON.text(ReconcileLines(list: list, lines: lines)))
        }
        return router
    }

    /// Applies the "down" and "slow" faults.
    func gate() async throws {
        let f = faults.current
        if f.slowMs > 0 { try await Task.sleep(nanoseconds: UInt64(f.slowMs) * 1_000_000) }
        if f.down { throw PeerDown() }
    }

    struct PeerDown: Error {}

    func receive(_ body: Data) async throws -> Response {
        try await gate()
        if faults.take(\.failNext) { return problem(.unavailable, "told to fail", status: .internalServerError) }
        let batch: EnvelopeBatch
        do { batch = try ExchangeJSON.decode(EnvelopeBatch.self, from: body) } catch {
            try store.refuse(sender: nil, messageID: nil, sequence: nil, code: ExchangeErrorCode.malformed.rawValue, detail: "\(error)")
            return problem(.malformed, "body is not {\"messages\": [envelope…]}: \(error)")
        }
        let drop = faults.take(\.dropNext)
        let dropAfter = faults.current.dropAfter
        var results: [Acknowledgement.Result] = []
        var sender: String?
        for (index, e) in batch.messages.enumerated() {
            if drop && index == dropAfter { return droppedConnection() }
            sender = sender ?? e.sender
            if let code = e.check(receiver: config.identity.id, peers: config.peers) {
                try store.refuse(sender: e.sender, messageID: e.id, sequence: e.sequence, code: code.rawValue, detail: "envelope check failed")
                logger.warning("message refused", metadata: ["id": "\(e.id)", "sender": "\(e.sender)", "code": "\(code.rawValue)"])
                results.append(.init(id: e.id, sequence: e.sequence, status: .refused, code: code, detail: "envelope check failed"))
                break
            }
            guard let kind = ExchangePayload.Kind(rawValue: e.kind), e.id == Envelope.messageID(sender: e.sender, sequence: e.sequence) else {
                try store.refuse(sender: e.sender, messageID: e.id, sequence: e.sequence, code: ExchangeErrorCode.malformed.rawValue, detail: "kind \(e.kind) or id")
                results.append(.init(id: e.id, sequence: e.sequence, status: .refused, code: .malformed, detail: "unknown kind \(e.kind) or id not of its sequence"))
                break
            }
            let outcome = try store.receive(PeerStore.Incoming(id: e.id, sender: e.sender, sequence: e.sequence, kind: kind, subject: e.subject,
                                                               payload: e.payload, envelope: try ExchangeJSON.text(e)))
            switch outcome {
            case .accepted: results.append(.init(id: e.id, sequence: e.sequence, status: .accepted))
            case .duplicate: results.append(.init(id: e.id, sequence: e.sequence, status: .duplicate))
            case .refused(let code, let detail):
                logger.warning("message refused", metadata: ["id": "\(e.id)", "sender": "\(e.sender)", "code": "\(code)"])
                results.append(.init(id: e.id, sequence: e.sequence, status: .refused, code: ExchangeErrorCode(rawValue: code), detail: detail))
            }
            if results.last?.status == .refused { break }
        }
        if drop { return droppedConnection() }
        if faults.take(\.duplicateNext) { return problem(.unavailable, "answer lost (told to)", status: .internalServerError) }
        guard let sender, config.peers.peer(sender) != nil else {
            // Nothing can be signed for an unknown sender: the refusal is a problem document.
            return problem(.unknownSender, "no key for sender \(sender ?? "(none)")")
        }
        let ack = Acknowledgement(lastSequence: try store.lastSequence(of: sender), results: results)
        return json(try ExchangeJSON.text(try seal(kind: .acknowledgement, payload: try ExchangeJSON.text(ack), to: sender)))
    }

    func seal(kind: ExchangePayload.Kind, payload: String, to receiver: String) throws -> Envelope {
        var e = try Envelope.seal(kind: kind.rawValue, subject: nil, payload: payload, sequence: 0,
                                  createdAt: ISO8601DateFormatter().string(from: Date()), from: config.identity, to: receiver)
        if faults.current.badSignature, var bytes = Data(base64Encoded: e.signature) {
            bytes[bytes.count - 1] ^= 0x01
            e.signature = bytes.base64EncodedString()
        }
        return e
    }

    /// A 200 whose body breaks off: the client sees the connection drop mid-answer.
    func droppedConnection() -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody { writer in
            try await writer.write(ByteBuffer(string: "{\"protocol\":"))
            throw PeerDown()
        })
    }

    func json(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    func problem(_ code: ExchangeErrorCode, _ detail: String, status: HTTPResponse.Status? = nil) -> Response {
        let s = status ?? HTTPResponse.Status(code: code.httpStatus)
        let doc: [String: any Sendable] = ["type": "about:blank", "title": s.reasonPhrase, "status": s.code, "code": code.rawValue, "detail": detail]
        let data = (try? JSONSerialization.data(withJSONObject: doc, options: [.sortedKeys])) ?? Data()
        return Response(status: s, headers: [.contentType: "application/problem+json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
