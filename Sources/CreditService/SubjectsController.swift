import CreditOperations
import CreditQuery
import CreditRegistry
import Foundation
import Hummingbird

/// Look-up, credit report and name search for officers.
struct SubjectsController {
    let operations: CreditOperations
    let pool: BlockingPool
    let audit: AuditBatcher
    let measuresBatcher: LookupBatcher

    var endpoints: RouteCollection<ServiceContext> {
        RouteCollection(context: ServiceContext.self)
            .get("subjects/:id", use: report)
            .get("subjects/:id/measures", use: measures)
            .get("search", use: search)
    }

    /// `GET /v1/subjects/{id}?as_of=yyyy-MM-dd&department=sat&unmask=true`: the credit report of the
    /// subject any identifier names; audited with the caller as actor before it is answered.
    @Sendable func report(_ request: Request, context: ServiceContext) async throws -> Response {
        let caller = try context.require(\.mayLookUp, "look subjects up")
        let id = try context.parameters.require("id")
        let query = request.uri.queryParameters
        let unmask = query.get("unmask") == "true"
        if unmask && !caller.role.maySeePersonalIDs { throw HTTPError(.forbidden, message: "role \(caller.role.rawValue) may not unmask ID numbers") }
        let options = ReportBuilder.Options(asOf: try request.asOfParameter(), department: query.get("department") ?? caller.department,
                                            unmask: unmask, actor: "api:\(caller.name)")
        let operations = self.operations
        let (found, entries) = try await pool.run { try operations.lookUpReport(id, options: options) }
        try await audit.record(entries)
        guard let report = found else { throw HTTPError(.notFound, message: "no subject with identifier \(IdentityMask.forDisplay(id))") }
        return try JSONBody.response(report)
    }

    /// `GET /v1/subjects/{id}/measures?as_of=`: identity and measures in force, audited.
    @Sendable func measures(_ request: Request, context: ServiceContext) async throws -> Response {
        let caller = try context.require(\.mayLookUp, "look subjects up")
        let id = try context.parameters.require("id")
        let asOf = try request.asOfParameter()
        let viewer = Viewer(actor: "api:\(caller.name)", maySeePersonalIDs: caller.role.maySeePersonalIDs)
        let result = try await measuresBatcher.lookUp(MeasuresRequest(identifier: id, asOf: asOf, viewer: viewer))
        guard let result else { throw HTTPError(.notFound, message: "no subject with identifier \(IdentityMask.forDisplay(id))") }
        return JSONBody.response(text: MeasuresView(result).json)
    }

    /// `GET /v1/search?q=华兴&limit=20`: subjects by any part of an organisation's name; audited.
    @Sendable func search(_ request: Request, context: ServiceContext) async throws -> Response {
        let caller = try context.require(\.maySearch, "search names")
        guard let q = request.uri.queryParameters.get("q"), !q.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw HTTPError(.badRequest, message: "q (part of a name) is required")
        }
        let limit = min(100, max(1, request.uri.queryParameters.get("limit").flatMap(Int.init) ?? 20))
        let viewer = Viewer(actor: "api:\(caller.name)", maySeePersonalIDs: caller.role.maySeePersonalIDs)
        let operations = self.operations
        let hits = try await pool.run { try operations.searchNames(q, limit: limit, viewer: viewer) }
        return try JSONBody.response(hits)
    }
}
