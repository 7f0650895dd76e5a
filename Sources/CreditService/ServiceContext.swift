import CreditOperations
import Foundation
import Hummingbird

/// The request context of the API: Hummingbird's core storage plus the authenticated caller.
public struct ServiceContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by ``TokenAuthenticator`` for every route under `/v1`.
    public var caller: Caller?
    /// The peer's IP address (public routes are rate-limited per address).
    public var clientAddress: String?

    public init(source: Source) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress
    }

    /// The body limit of the route (set per path by ``LimitsMiddleware``).
    public var maxUploadSize: Int = 16 * 1024
}

/// Reads `Authorization: Bearer TOKEN` (the scheme in any case), refusing the request (401) when
/// it is missing or unknown. A token not in the store's cache is looked up on the look-up pool.
struct TokenAuthenticator: RouterMiddleware {
    let tokens: TokenStore
    let pool: BlockingPool

    func handle(_ request: Request, context: ServiceContext, next: (Request, ServiceContext) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], let token = Self.bearerToken(header) else {
            throw Problem(.unauthorized, code: "unauthenticated", detail: "a bearer token is required (Authorization: Bearer TOKEN)",
                          headers: [.wwwAuthenticate: "Bearer"])
        }
        let caller: Caller?
        if let known = tokens.cachedCaller(token: token) { caller = known } else {
            let tokens = self.tokens
            caller = try await pool.run { try tokens.caller(token: token) }
        }
        guard let caller else {
            throw Problem(.unauthorized, code: "unauthenticated", detail: "the bearer token is unknown or revoked",
                          headers: [.wwwAuthenticate: "Bearer error=\"invalid_token\""])
        }
        var context = context
        context.caller = caller
        return try await next(request, context)
    }

    /// The token of a `Bearer` credential (RFC 9110 §11.1: the scheme is case-insensitive).
    static func bearerToken(_ header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}

extension ServiceContext {
    /// The authenticated caller (every route under `/v1` has one).
    func account() throws -> Caller {
        guard let caller else { throw Problem(.unauthorized, code: "unauthenticated", detail: "a bearer token is required") }
        return caller
    }

    /// The caller, or 403 when their role may not do `what`.
    func require(_ allowed: (Caller.Role) -> Bool, _ what: String) throws -> Caller {
        let caller = try account()
        guard allowed(caller.role) else { throw Problem(.forbidden, code: "forbidden", detail: "role \(caller.role.rawValue) may not \(what)") }
        return caller
    }
}

/// A use-case refused to the caller's role is answered 403 with a problem document.
extension AccessDenied: HTTPResponseError {
    public var status: HTTPResponse.Status { .forbidden }
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        try Problem(.forbidden, code: "forbidden", detail: description).response(from: request, context: context)
    }
}
