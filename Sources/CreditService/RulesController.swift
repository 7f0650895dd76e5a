import CreditRegistry
import Hummingbird
import RuleEngine

/// The active rule set: version, who activated it and when, memoranda and measures.
struct RulesController {
    let registry: Registry

    var endpoints: RouteCollection<ServiceContext> {
        RouteCollection(context: ServiceContext.self).get("rules", use: status)
    }

    struct Status: Encodable {
        var version: String?
        var activatedAt: String?
        var author: String?
        var memoranda: [MemorandumInfo]
        var measures: [MeasureInfo]
    }

    @Sendable func status(_ request: Request, context: ServiceContext) async throws -> Response {
        _ = try context.require({ _ in true }, "read the rule status")
        let store = RuleSetStore(registry: registry)
        let active = try store.active()
        let rules = try store.activeRuleSet()
        return try JSONBody.response(Status(version: active?.version, activatedAt: active?.activatedAt, author: active?.author,
                                            memoranda: rules?.memoranda ?? [], measures: rules?.measures ?? []))
    }
}
