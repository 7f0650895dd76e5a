import CreditOperations
import Hummingbird

/// `GET /metrics`: the server's ``ServiceMetrics`` in the Prometheus text format, for the roles
/// that may read them (``AccountRole/mayReadMetrics``: administrators and operators), with a
/// bearer token or a session; 401 without, 403 for other roles.
struct MetricsController {
    let metrics: ServiceMetrics
    let authenticator: CallerAuthenticator

    func add(to router: Router<ServiceContext>) {
        let metrics = self.metrics
        router.group("metrics").add(middleware: authenticator).get { _, context in
            _ = try context.require(\.mayReadMetrics, "read the service's metrics")
            return metrics.response()
        }
    }
}
