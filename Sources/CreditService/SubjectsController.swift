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
    /// subject any identifier names; audited with the caller as actor before it is answered. An
    /// officer's department is the account's (`department` is for administrators and auditors).
    @Sendable func report(_ request: Request, context: ServiceContext) async throws -> Response {
        let caller = try context.account()
        let id = try context.parameters.require("id")
        let query = request.uri.queryParameters
        let asOf = try request.asOfParameter()
        let (department, unmask) = (query.get("department"), query.get("unmask") == "true")
        let operations = self.operations
        let (found, entries) = try await pool.run {
            try operations.lookUpReport(id, for: caller, channel: "api", asOf: asOf, department: department, unmask: unmask)
        }
        try await audit.record(entries)
        guard let report = found else { throw Problem(.notFound, code: "not_found", detail: "no subject with identifier \(IdentityMask.forDisplay(id))") }
        return try JSONBody.response(report)
    }

    /// `GET /v1/subjects/{id}/measures?as_of=&unmask=true`: identity and measures in force,
    /// audited; a resident ID is masked unless the role may unmask and asks to (audited as such).
    @Sendable func measures(_ request: Request, context: ServiceContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let lookup = try MeasuresAnswer.request(id: id, uri: request.uri, caller: try context.account(), operations: operations)
        let result = try await measuresBatcher.lookUp(lookup)
        return Response(status: .ok, headers: MeasuresAnswer.jsonFields, body: .init(byteBuffer: try MeasuresAnswer.body(result, id: id)))
    }

    /// `GET /v1/search?q=华兴&limit=20`: subjects by any part of an organisation's name; audited.
    @Sendable func search(_ request: Request, context: ServiceContext) async throws -> Response {
        let caller = try context.account()
        try caller.require(\.maySearch, "search names")
        guard let q = request.uri.queryParameters.get("q"), !q.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw Problem(.badRequest, code: "missing_parameter", detail: "q (part of a name) is required")
        }
        let limit = min(100, max(1, request.uri.queryParameters.get("limit").flatMap(Int.init) ?? 20))
        let operations = self.operations
        let hits = try await pool.run { try operations.searchNames(q, limit: limit, for: caller, channel: "api") }
        return try JSONBody.response(hits)
    }
}
