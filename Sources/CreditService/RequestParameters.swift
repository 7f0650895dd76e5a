import CreditRegistry
import Hummingbird
import HummingbirdCore

extension Request {
    /// The `as_of` query parameter as a day; 400 when it is not one, nil when absent.
    func asOfParameter() throws -> Day? { try uri.asOfParameter() }
}

extension URI {
    /// The `as_of` query parameter as a day; 400 when it is not one, nil when absent.
    func asOfParameter() throws -> Day? {
        guard let text = queryParameters.get("as_of") else { return nil }
        do { return try Day(String(text)) } catch { throw Problem(.badRequest, code: "invalid_parameter", detail: "as_of: \(error.description)") }
    }
}
