import CreditRegistry
import Foundation
import Hummingbird
import Logging

/// Logs requests with method, path, status, latency and caller (never the token or the query
/// string, which may carry an ID number): failures (5xx) at error level, the rest at debug.
///
/// One instance sits inside `/v1`, after the authenticator, so it knows the caller; the one at
/// the root logs the other routes and the requests refused before a caller was known.
///
/// The instance inside `/v1` also turns errors into problem documents (`problems`, the
/// ``ErrorMiddleware``'s mapping) before logging them: one middleware on every look-up's path
/// instead of two, and the log holds the status the caller gets.
struct RequestLogger: RouterMiddleware {
    let logger: Logger
    /// True for the instance inside `/v1` (after the authenticator).
    let authenticated: Bool
    /// Maps the errors of the routes inside before they are logged and thrown on.
    var problems: ErrorMiddleware?

    func handle(_ request: Request, context: ServiceContext,
                next: (Request, ServiceContext) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, status: Int(response.status.code), started: started, context: context)
            return response
        } catch {
            let error: any Error = problems.map { $0.problem(for: error, request: request) } ?? error
            let status = Int((error as? any HTTPResponseError)?.status.code ?? 500)
            log(request, status: status, started: started, context: context, error: error)
            throw error
        }
    }

    private func log(_ request: Request, status: Int, started: ContinuousClock.Instant, context: ServiceContext, error: (any Error)? = nil) {
        if authenticated {
            // Past the deadline the caller gets the root's 503, whatever the route ended with.
            if RequestTimeout.passed?.value == true { return }
        } else if request.uri.path.hasPrefix("/v1/") && status != 401 && (error as? Problem)?.code != "timeout" {
            // The root instance leaves `/v1` to the inner one, except requests refused before it
            // ran and those answered 503 `timeout` around it.
            return
        }
        Self.write(logger, method: request.method, template: { Self.template(request, context) }, status: status,
                   started: started, caller: context.caller, error: error)
    }

    /// Writes one request's line: the router's requests and the event loop's measures look-ups
    /// (``MeasuresFastPath``) log alike.
    static func write(_ logger: Logger, method: HTTPRequest.Method, template: () -> String, status: Int,
                      started: ContinuousClock.Instant, caller: Caller?, error: (any Error)? = nil) {
        let level: Logger.Level = status >= 500 ? .error : .debug
        guard logger.logLevel <= level else { return }
        let elapsed = ContinuousClock.now - started
        let micros = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
        var meta: Logger.Metadata = ["method": "\(method.rawValue)", "path": "\(template())",
                                     "status": "\(status)", "micros": "\(micros)"]
        if let caller { meta["caller"] = "\(caller.name)"; meta["role"] = "\(caller.role.rawValue)" }
        if let error, status >= 500 { meta["error"] = "\(error)" }
        logger.log(level: level, status >= 500 ? "request failed" : "request", metadata: meta)
    }

    /// The route's template (`/v1/subjects/{id}`) once routed; before that the path with any
    /// segment that looks like a resident ID masked — a log never holds an ID number.
    static func template(_ request: Request, _ context: ServiceContext) -> String {
        if let path = context.endpointPath { return path.replacingOccurrences(of: ":id", with: "{id}") }
        return request.uri.path.split(separator: "/", omittingEmptySubsequences: false)
            .map { IdentityMask.forDisplay(String($0)) }.joined(separator: "/")
    }
}
