import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The exchange over HTTP(S) (async-http-client). Connection failures, timeouts, answers cut
/// short and 5xx are retryable; 4xx are refusals carrying the problem's `code`.
public struct HTTPTransport: ExchangeTransport {
    public var baseURL: String
    public var timeout: TimeAmount

    public init(baseURL: String, timeout: TimeAmount = .seconds(30)) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.timeout = timeout
    }

    /// One client for the process: connections are pooled, a refused connection fails within
    /// the connect timeout instead of being retried until the request's deadline.
    static let client = HTTPClient(eventLoopGroupProvider: .singleton,
                                   configuration: .init(timeout: .init(connect: .seconds(2), read: .seconds(60))))

    private func call(_ method: HTTPMethod, _ path: String, body: Data? = nil) async throws -> Data {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let status: Int
        let bytes: ByteBuffer
        do {
            let response = try await Self.client.execute(request, timeout: timeout)
            status = Int(response.status.code)
            bytes = try await response.body.collect(upTo: 256 * 1024 * 1024)
        } catch {
            throw TransportError("\(method.rawValue) \(path): \(error)", isRetryable: true)
        }
        let data = Data(bytes.readableBytesView)
        guard status == 200 else {
            let problem = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
            let detail = (problem?["detail"] as? String) ?? String(decoding: data.prefix(300), as: UTF8.self)
            throw TransportError("\(method.rawValue) \(path): HTTP \(status) \(detail)", code: problem?["code"] as? String,
                                 isRetryable: status >= 500 || status == 429)
        }
        return data
    }

    private func decode<T: Decodable>(_ type: T.Type, _ data: Data, _ what: String) throws -> T {
        do { return try ExchangeJSON.decode(type, from: data) } catch {
            throw TransportError("\(what): the answer is not a valid \(T.self): \(error)", code: ExchangeErrorCode.malformed.rawValue, isRetryable: true)
        }
    }

    public func deliver(_ batch: EnvelopeBatch) async throws -> Envelope {
        try decode(Envelope.self, try await call(.POST, "/exchange/v1/messages", body: try ExchangeJSON.encode(batch)), "acknowledgement")
    }

    public func page(list: String, cursor: String, limit: Int) async throws -> Envelope {
        let c = cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? cursor
        return try decode(Envelope.self, try await call(.GET, "/exchange/v1/lists/\(list)/pages?cursor=\(c)&limit=\(limit)"), "page")
    }

    public func reconcile(sender: String) async throws -> ReconcileSummary {
        try decode(ReconcileSummary.self, try await call(.GET, "/exchange/v1/reconcile?sender=\(sender)"), "reconcile")
    }

    public func reconcileLines(sender: String, list: String) async throws -> ReconcileLines {
        try decode(ReconcileLines.self, try await call(.GET, "/exchange/v1/reconcile/\(list)?sender=\(sender)"), "reconcile lines")
    }
}
