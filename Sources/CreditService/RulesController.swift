import CreditOperations
import Hummingbird

/// The active rule set: version, who activated it and when, memoranda and measures.
struct RulesController {
    let operations: CreditOperations
    let pool: BlockingPool

    var endpoints: RouteCollection<ServiceContext> {
        RouteCollection(context: ServiceContext.self).get("rules", use: status)
    }

    @Sendable func status(_ request: Request, context: ServiceContext) async throws -> Response {
        _ = try context.require({ _ in true }, "read the rule status")
        let operations = self.operations
        return try JSONBody.response(try await pool.run { try operations.ruleStatus() })
    }
}
