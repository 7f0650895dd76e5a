import CreditOperations
import Foundation
import Hummingbird
import Logging

/// Turns every error a route throws into a ``Problem`` document with a stable code, so that no
/// caller ever sees an empty body:
///
/// - a ``Problem`` passes unchanged;
/// - `OperationError.busy` (a database locked by another writer past the busy timeout) becomes
///   503 `busy` with `Retry-After`, logged at warning level;
/// - an `HTTPError` keeps its status, headers and message, with a code named after its status
///   (`not_found`, `forbidden`, …);
/// - anything else becomes 500 `internal` with an error id, logged at error level with the
///   error itself (which may name tables and rows the caller must not see).
struct ErrorMiddleware: RouterMiddleware {
    let logger: Logger
    /// Seconds a caller is asked to wait before retrying after `busy`.
    static let retryAfter = 2

    func handle(_ request: Request, context: ServiceContext,
                next: (Request, ServiceContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            throw problem(for: error, request: request)
        }
    }

    func problem(for error: any Error, request: Request) -> Problem { problem(for: error, path: request.uri.path) }

    /// The problem document answering `error` on a request for `path` (logged where it must be).
    func problem(for error: any Error, path: @autoclosure () -> String) -> Problem {
        switch error {
        case let p as Problem:
            return p
        case OperationError.busy(let database):
            logger.warning("database busy", metadata: ["path": "\(path())", "database": "\(database.rawValue)"])
            return Problem(.serviceUnavailable, code: "busy",
                           detail: "\(database.rawValue) is locked by another writer; retry in \(Self.retryAfter) seconds",
                           headers: [.retryAfter: "\(Self.retryAfter)"])
        case let e as HTTPError:
            return Problem(e.status, code: Self.code(e.status), detail: e.body ?? e.status.reasonPhrase, headers: e.headers)
        case let e as any HTTPResponseError where e.status.code < 500:
            return Problem(e.status, code: Self.code(e.status), detail: "\(e)")
        default:
            let id = UUID().uuidString.prefix(8).lowercased()
            logger.error("internal error", metadata: ["error_id": "\(id)", "path": "\(path())", "error": "\(error)"])
            return Problem(.internalServerError, code: "internal", detail: "internal error \(id): the server's log has the details")
        }
    }

    /// `not_found` for 404, `unsupported_media_type` for 415: the reason phrase in snake case.
    static func code(_ status: HTTPResponse.Status) -> String {
        status.reasonPhrase.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }
            .reduce(into: "") { s, c in if !(c == "_" && s.hasSuffix("_")) { s.append(c) } }
    }
}
