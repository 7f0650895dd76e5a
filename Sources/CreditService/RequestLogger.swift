import Foundation
import Hummingbird
import Logging

/// Logs every request once it is answered: method, path, status, latency and caller (never the
/// token or the query string, which may carry an ID number).
struct RequestLogger: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: ServiceContext,
                next: (Request, ServiceContext) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, status: Int(response.status.code), started: started, context: context)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            log(request, status: Int(status), started: started, context: context, error: error)
            throw error
        }
    }

    private func log(_ request: Request, status: Int, started: ContinuousClock.Instant, context: ServiceContext, error: (any Error)? = nil) {
        let elapsed = ContinuousClock.now - started
        let micros = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
        var meta: Logger.Metadata = ["method": "\(request.method.rawValue)", "path": "\(request.uri.path)",
                                     "status": "\(status)", "micros": "\(micros)"]
        if let caller = context.callerName.value { meta["caller"] = "\(caller)" }
        if status >= 500 {
            meta["error"] = "\(error.map { "\($0)" } ?? "")"
            logger.error("request failed", metadata: meta)
        } else {
            logger.debug("request", metadata: meta)
        }
    }
}
