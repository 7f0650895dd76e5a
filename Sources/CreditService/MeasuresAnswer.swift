import CreditOperations
import CreditQuery
import CreditRegistry
import Foundation
import Hummingbird
import HummingbirdCore

/// The measures look-up's request and answer, built the same way by the router's route
/// (``SubjectsController``) and the event loop's fast path (``MeasuresFastPath``).
enum MeasuresAnswer {
    /// The route as the router names it (metrics key it so).
    static let route = "/v1/subjects/:id/measures"
    /// The route's template in logs and OpenAPI.
    static let template = "/v1/subjects/{id}/measures"

    /// What `caller` asks for with `GET /v1/subjects/{id}/measures?as_of=&unmask=true`: 403 for a
    /// role that may not look up (or unmask), 400 for an `as_of` that is not a day.
    static func request(id: String, uri: URI, caller: Caller, operations: CreditOperations) throws -> MeasuresRequest {
        let asOf = try uri.asOfParameter()
        let unmask = uri.queryParameters.get("unmask") == "true"
        return try operations.measuresRequest(id, for: caller, channel: "api", asOf: asOf, unmask: unmask)
    }

    /// The answer's JSON; 404 when no subject has the identifier.
    static func body(_ answer: LookupBatcher.Answer, id: String) throws -> ByteBuffer {
        guard let answer else { throw Problem(.notFound, code: "not_found", detail: "no subject with identifier \(IdentityMask.forDisplay(id))") }
        return MeasuresView.json(answer)
    }

    /// The answer's fields before the server adds `Date` and `Server`.
    static let jsonFields: HTTPFields = [.contentType: "application/json; charset=utf-8"]
}
