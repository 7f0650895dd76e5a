import CreditRegistry
import Foundation
import Hummingbird
import RuleEngine

/// Look-up, credit report and name search for officers.
struct SubjectsController {
    let registry: Registry

    var endpoints: RouteCollection<ServiceContext> {
        RouteCollection(context: ServiceContext.self)
            .get("subjects/:id", use: report)
            .get("search", use: search)
    }

    /// `GET /v1/subjects/{id}?as_of=yyyy-MM-dd&department=sat&unmask=true`: the credit report of the
    /// subject any identifier names; audited with the caller as actor.
    @Sendable func report(_ request: Request, context: ServiceContext) async throws -> Response {
        let caller = try context.require(\.mayLookUp, "look subjects up")
        let id = try context.parameters.require("id")
        let query = request.uri.queryParameters
        let asOf = try query.get("as_of").map { text -> Day in
            do { return try Day(text) } catch { throw HTTPError(.badRequest, message: "as_of: \(error)") }
        }
        let unmask = query.get("unmask") == "true"
        if unmask && !caller.role.maySeePersonalIDs { throw HTTPError(.forbidden, message: "role \(caller.role.rawValue) may not unmask ID numbers") }
        let provider = try RuleDecisionProvider.active(registry: registry)
        let options = ReportBuilder.Options(asOf: asOf, department: query.get("department") ?? caller.department,
                                            unmask: unmask, actor: "api:\(caller.name)")
        guard let report = try ReportBuilder(registry: registry, decisions: provider).report(for: id, options: options) else {
            throw HTTPError(.notFound, message: "no subject with identifier \(IdentityMask.looksLikeResidentID(id) ? IdentityMask.residentID(id) : id)")
        }
        return try JSONBody.response(report)
    }

    /// `GET /v1/search?q=华兴&limit=20`: subjects by any part of an organisation's name.
    @Sendable func search(_ request: Request, context: ServiceContext) async throws -> Response {
        _ = try context.require(\.maySearch, "search names")
        guard let q = request.uri.queryParameters.get("q"), !q.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw HTTPError(.badRequest, message: "q (part of a name) is required")
        }
        let limit = min(100, max(1, request.uri.queryParameters.get("limit").flatMap(Int.init) ?? 20))
        return try JSONBody.response(try NameSearch(registry: registry).search(q, limit: limit))
    }
}

/// JSON responses with stable key order.
enum JSONBody {
    static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try e.encode(value)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
