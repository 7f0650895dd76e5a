import CoreMetrics
import CreditOperations
import Foundation
import Hummingbird
import Prometheus

/// The service's metrics: one Prometheus registry that receives, through swift-metrics, the
/// requests (``MetricsMiddleware``) and the use-cases' counters (``OperationMetrics``: ingest,
/// evaluation, audit), and renders them for `GET /metrics` in the Prometheus text format.
///
/// Each server gets its own registry, so two servers in one process (tests) count apart.
public final class ServiceMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry
    /// A swift-metrics factory writing into ``registry``.
    public let factory: PrometheusMetricsFactory
    /// The use-cases' counters, made by ``factory``.
    public let operations: OperationMetrics

    /// Buckets of `credit_http_request_duration_seconds`: look-ups take well under a millisecond.
    static let latencyBuckets: [Duration] = [
        .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30),
    ]

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = [MetricsMiddleware.latencyLabel: Self.latencyBuckets]
        self.factory = factory
        operations = OperationMetrics(factory: factory)
    }

    /// The exposition text (`text/plain; version=0.0.4`).
    func response() -> Response {
        Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
    }
}
