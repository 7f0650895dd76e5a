import CreditRegistry
import Foundation
import Hummingbird
import RuleEngine

/// Look-up, credit report and name search for officers.
struct SubjectsController {
    let registry: Registry
    let rules: ActiveRules
    let audit: AuditBatcher

    var endpoints: RouteCollection<ServiceContext> {
        RouteCollection(context: ServiceContext.self)
            .get("subjects/:id", use: report)
            .get("subjects/:id/measures", use: measures)
            .get("search", use: search)
    }

    /// `GET /v1/subjects/{id}?as_of=yyyy-MM-dd&department=sat&unmask=true`: the credit report of the
    /// subject any identifier names; audited with the caller as actor.
    @Sendable func report(_ request: Request, context: ServiceContext) async throws -> Response {
        let caller = try context.require(\.mayLookUp, "look subjects up")
        let id = try context.parameters.require("id")
        let query = request.uri.queryParameters
        let asOf = try request.asOfParameter()
        let unmask = query.get("unmask") == "true"
        if unmask && !caller.role.maySeePersonalIDs { throw HTTPError(.forbidden, message: "role \(caller.role.rawValue) may not unmask ID numbers") }
        let options = ReportBuilder.Options(asOf: asOf, department: query.get("department") ?? caller.department,
                                            unmask: unmask, actor: "api:\(caller.name)")
        let (found, entries) = try ReportBuilder(registry: registry, decisions: try rules.provider()).lookUp(id, options: options)
        try await audit.record(entries)
        guard let report = found else {
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

extension SubjectsController {
    /// `GET /v1/subjects/{id}/measures?as_of=`: identity and measures in force, audited.
    @Sendable func measures(_ request: Request, context: ServiceContext) async throws -> Response {
        let caller = try context.require(\.mayLookUp, "look subjects up")
        let id = try context.parameters.require("id")
        let asOf = try request.asOfParameter() ?? Day.today()
        let provider = try rules.provider()
        let registry = self.registry
        let (view, code) = try registry.read { db -> (MeasuresView?, String?) in
            guard let s = try registry.lookup(id, in: db) else { return (nil, nil) }
            let ds = try provider.decisions(for: s.code, asOf: asOf, in: db)
            let shown = caller.role.maySeePersonalIDs || s.kind != .naturalPerson ? s.code : IdentityMask.residentID(s.code)
            return (MeasuresView(code: shown, name: s.name, kind: s.kind.rawValue, status: s.status.rawValue, asOf: asOf,
                                measures: ds.map { .init(measure: $0.measure, text: $0.text, kind: $0.kind.rawValue, department: $0.department,
                                                         departmentName: $0.departmentName, basis: $0.basis, memorandum: $0.memorandum,
                                                         validFrom: $0.validFrom, validUntil: $0.validUntil, financial: $0.financial,
                                                         causedBy: $0.causedBy) }), s.code)
        }
        try await audit.record([AuditLog.Pending(actor: "api:\(caller.name)", action: "lookup", subject: code,
                                                 detail: "measures as-of \(asOf)" + (view == nil ? " not found" : ""))])
        guard let view else { throw HTTPError(.notFound, message: "no subject with identifier \(IdentityMask.looksLikeResidentID(id) ? IdentityMask.residentID(id) : id)") }
        return JSONBody.response(text: view.json)
    }
}
