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

    /// Batch files may be large.
    public var maxUploadSize: Int { 256 * 1024 * 1024 }
}

/// Reads `Authorization: Bearer TOKEN`, refusing the request (401) when it is missing or unknown.
struct TokenAuthenticator: RouterMiddleware {
    let tokens: TokenStore

    func handle(_ request: Request, context: ServiceContext, next: (Request, ServiceContext) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
              let caller = tokens.caller(token: String(header.dropFirst(7))) else {
            throw HTTPError(.unauthorized, message: "a valid bearer token is required")
        }
        var context = context
        context.caller = caller
        return try await next(request, context)
    }
}

extension ServiceContext {
    /// The caller, or 403 when their role may not do `what`.
    func require(_ allowed: (Caller.Role) -> Bool, _ what: String) throws -> Caller {
        guard let caller else { throw HTTPError(.unauthorized, message: "a valid bearer token is required") }
        guard allowed(caller.role) else { throw HTTPError(.forbidden, message: "role \(caller.role.rawValue) may not \(what)") }
        return caller
    }
}
