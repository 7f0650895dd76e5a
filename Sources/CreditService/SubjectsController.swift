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
        let asOf = try query.get("as_of").map { text -> Day in
            do { return try Day(text) } catch { throw HTTPError(.badRequest, message: "as_of: \(error)") }
        }
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

/// JSON responses with stable key order.
enum JSONBody {
    static func response(text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try e.encode(value)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// The look-up officers and systems call most: a subject's identity and the measures in force,
/// without the full report.
struct MeasuresView: Encodable {
    struct Measure: Encodable {
        var measure: String
        var text: String
        var kind: String
        var department: String
        var departmentName: String
        var basis: String
        var memorandum: String
        var validFrom: Day
        var validUntil: Day?
        var financial: Bool
        var causedBy: [Int64]
    }
    var code: String
    var name: String
    var kind: String
    var status: String
    var asOf: Day
    var measures: [Measure]
}

extension SubjectsController {
    /// `GET /v1/subjects/{id}/measures?as_of=`: identity and measures in force, audited.
    @Sendable func measures(_ request: Request, context: ServiceContext) async throws -> Response {
        let caller = try context.require(\.mayLookUp, "look subjects up")
        let id = try context.parameters.require("id")
        let asOf = try request.uri.queryParameters.get("as_of").map { text -> Day in
            do { return try Day(text) } catch { throw HTTPError(.badRequest, message: "as_of: \(error)") }
        } ?? Day.today()
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

extension MeasuresView {
    /// The view as JSON (keys sorted, like the encoder's), written by hand: this is the hottest
    /// response of the service.
    var json: String {
        var j = JSONText()
        j.object { j in
            j.field("asOf") { $0.string(asOf.description) }
            j.field("code") { $0.string(code) }
            j.field("kind") { $0.string(kind) }
            j.field("measures") { j in
                j.array { j in
                    for m in measures {
                        j.object { j in
                            j.field("basis") { $0.string(m.basis) }
                            j.field("causedBy") { j in j.array { j in m.causedBy.forEach { j.int($0) } } }
                            j.field("department") { $0.string(m.department) }
                            j.field("departmentName") { $0.string(m.departmentName) }
                            j.field("financial") { $0.bool(m.financial) }
                            j.field("kind") { $0.string(m.kind) }
                            j.field("measure") { $0.string(m.measure) }
                            j.field("memorandum") { $0.string(m.memorandum) }
                            j.field("text") { $0.string(m.text) }
                            j.field("validFrom") { $0.string(m.validFrom.description) }
                            if let until = m.validUntil { j.field("validUntil") { $0.string(until.description) } }
                        }
                    }
                }
            }
            j.field("name") { $0.string(name) }
            j.field("status") { $0.string(status) }
        }
        return j.text
    }
}
