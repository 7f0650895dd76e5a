import CreditOperations
import Foundation
import Hummingbird
import NIOCore

/// The request context of the API: Hummingbird's core storage plus the authenticated caller.
public struct ServiceContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by ``CallerAuthenticator`` for every route under `/v1`.
    public var caller: Caller?
    /// The officers' page's session, when the caller came with its cookie rather than a token.
    public var sessionID: String?
    /// The connection the request came on.
    private let channel: any Channel

    /// The peer's IP address (public routes are rate-limited per address); formatted when asked
    /// for, not for every request.
    public var clientAddress: String? { channel.remoteAddress?.ipAddress }

    public init(source: Source) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// The body limit of the route (set per path by ``LimitsMiddleware``).
    public var maxUploadSize: Int = 16 * 1024
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
