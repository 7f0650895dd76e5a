import Foundation
import Hummingbird

/// An error answered as an RFC 9457 problem document (`application/problem+json`) with a stable
/// machine-readable `code`, so a caller never sees an empty body.
///
/// ```swift
/// throw Problem(.tooManyRequests, code: "rate_limited", detail: "at most 10 requests a second per address")
/// ```
public struct Problem: Error, HTTPResponseError, Sendable {
    /// The HTTP status of the answer.
    public var status: HTTPResponse.Status
    /// A stable identifier of the kind of problem (snake_case); clients branch on it.
    public var code: String
    /// What went wrong and where, for a person.
    public var detail: String
    /// Extra headers (e.g. `Retry-After`).
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, code: String, detail: String, headers: HTTPFields = [:]) {
        self.status = status; self.code = code; self.detail = detail; self.headers = headers
    }

    /// The problem document: `type`, `title`, `status`, `detail` and `code`.
    public var body: String {
        let document: [String: any Sendable] = [
            "type": "about:blank", "title": status.reasonPhrase, "status": status.code,
            "detail": detail, "code": code,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var fields = headers
        fields[.contentType] = "application/problem+json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

extension Problem {
    /// 503 `timeout`: the request for `path` was not answered within `limit` (the router's and the
    /// event loop's look-ups alike).
    static func timeout(path: String, limit: Duration) -> Problem {
        Problem(.serviceUnavailable, code: "timeout", detail: "\(path) was not answered within \(limit)", headers: [.retryAfter: "1"])
    }
}
