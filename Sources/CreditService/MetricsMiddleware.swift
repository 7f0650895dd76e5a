import CoreMetrics
import CreditRegistry
import Foundation
import Hummingbird

/// Counts every routed request and records its latency, per route template (`/v1/subjects/{id}`,
/// never the path itself, which may hold an ID number), method and status class (`2xx` … `5xx`):
///
/// - `credit_http_requests_total{method, route, status}` — a counter;
/// - `credit_http_request_duration_seconds{method, route, status}` — a histogram of the time
///   until the response head (a streamed batch check's body is not included).
///
/// Cheap on the hot path: the metrics of each (route, method, class) are made once and then
/// found under one short lock; a request costs that look-up, an atomic add and the histogram's
/// own lock, with no allocation.
struct MetricsMiddleware: RouterMiddleware {
    static let requestsLabel = "credit_http_requests_total"
    static let latencyLabel = "credit_http_request_duration_seconds"

    private let routes: RouteMetrics

    init(factory: any MetricsFactory) { routes = RouteMetrics(factory: factory) }

    /// Records into `routes` (shared with the event loop's measures look-ups).
    init(routes: RouteMetrics) { self.routes = routes }

    func handle(_ request: Request, context: ServiceContext,
                next: (Request, ServiceContext) async throws -> Response) async throws -> Response {
        let started = DispatchTime.now().uptimeNanoseconds
        do {
            let response = try await next(request, context)
            routes.record(request.method, context.endpointPath, status: response.status.code, since: started)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            routes.record(request.method, context.endpointPath, status: status, since: started)
            throw error
        }
    }
}

/// The counter and histogram of each (route, method, status class), made on first use.
final class RouteMetrics: Sendable {
    private struct Key: Hashable {
        var route: String
        var method: HTTPRequest.Method
        var statusClass: Int
    }
    private struct Metrics: Sendable {
        let requests: Counter
        let latency: CoreMetrics.Timer
    }

    private let factory: any MetricsFactory
    private let made = LockedBox<[Key: Metrics]>([:])

    init(factory: any MetricsFactory) { self.factory = factory }

    func record(_ method: HTTPRequest.Method, _ endpoint: String?, status: Int, since started: UInt64) {
        let elapsed = DispatchTime.now().uptimeNanoseconds &- started
        let key = Key(route: endpoint ?? "unrouted", method: method, statusClass: min(5, max(1, status / 100)))
        let metrics = made.withValue { $0[key] } ?? make(key)
        metrics.requests.increment()
        metrics.latency.recordNanoseconds(Int64(clamping: elapsed))
    }

    private func make(_ key: Key) -> Metrics {
        let dimensions = [("method", key.method.rawValue), ("route", Self.template(key.route)), ("status", "\(key.statusClass)xx")]
        let metrics = Metrics(requests: Counter(label: MetricsMiddleware.requestsLabel, dimensions: dimensions, factory: factory),
                              latency: CoreMetrics.Timer(label: MetricsMiddleware.latencyLabel, dimensions: dimensions, factory: factory))
        return made.withValue { made in
            if let existing = made[key] { return existing }
            made[key] = metrics
            return metrics
        }
    }

    /// Hummingbird's `/v1/subjects/:id` written as OpenAPI does: `/v1/subjects/{id}`.
    static func template(_ endpoint: String) -> String {
        endpoint.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
    }
}
