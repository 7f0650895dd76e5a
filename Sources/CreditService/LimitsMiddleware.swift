import CreditRegistry
import Foundation
import Hummingbird

/// Per request: the body limit of its path (413 `body_too_large` from a declared length at once,
/// from a streamed one as it is read) and the request timeout (503 `timeout`; batch checks,
/// which stream, are bounded by the idle timeout instead).
struct LimitsMiddleware: RouterMiddleware {
    let limits: ServiceLimits

    func handle(_ request: Request, context: ServiceContext, next: (Request, ServiceContext) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        let limit = limits.bodyLimit(path: path)
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw Problem(.contentTooLarge, code: "body_too_large", detail: "\(path) accepts at most \(limit) bytes, the request declares \(declared)")
        }
        var context = context
        context.maxUploadSize = limit
        do {
            if path == "/v1/check" { return try await next(request, context) }
            return try await withTimeout(limits.requestTimeout, path: path) { [context] in try await next(request, context) }
        } catch let e as HTTPError where e.status == .contentTooLarge {
            throw Problem(.contentTooLarge, code: "body_too_large", detail: "\(path) accepts at most \(limit) bytes")
        }
    }

    /// `body`'s answer, or 503 `timeout` when it takes longer than `limit` (the work is cancelled;
    /// ``RequestDeadlines`` keeps the time, to within its tick).
    private func withTimeout(_ limit: Duration, path: String, _ body: () async throws -> Response) async throws -> Response {
        try await withoutActuallyEscaping(body) { body in
            let box = UnsafeSendableBox(body)
            // The task is awaited below before this function returns: `body` does not escape.
            let timedOut = LockedBox(false)
            let task = RequestTimeout.$passed.withValue(timedOut) { Task { try await box.value() } }
            let deadline = RequestDeadlines.shared.add(limit) { timedOut.value = true; task.cancel() }
            defer { RequestDeadlines.shared.remove(deadline) }
            // Past the deadline the answer is 503, whatever the cancelled work ended with.
            let result = await withTaskCancellationHandler { await task.result } onCancel: { task.cancel() }
            if timedOut.value {
                throw Problem.timeout(path: path, limit: limit)
            }
            return try result.get()
        }
    }
}

/// Whether the request being handled is past its deadline: the routes inside then log nothing,
/// since the caller gets the 503 `timeout` that the root's request log writes.
enum RequestTimeout {
    @TaskLocal static var passed: LockedBox<Bool>?
}

/// Carries the handler chain into the timeout's child task; it runs there alone.
private struct UnsafeSendableBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
