import CreditOperations
import CreditRegistry
import Foundation
import Hummingbird
import HTTPTypes

/// Finds who is calling `/v1`: `Authorization: Bearer TOKEN` (the scheme in any case), or else
/// the officers' page's session cookie. A request that changes something (any method but GET
/// and HEAD) made with the cookie must also carry the session's CSRF token in
/// `X-CSRF-Token` and come from the service's own origin (`Origin`); otherwise it is refused
/// (403 `csrf`). Missing, unknown or revoked credentials are 401. A token or a session's token
/// not in the store's cache is looked up on the look-up pool.
struct CallerAuthenticator: RouterMiddleware {
    let tokens: TokenStore
    let sessions: SessionStore
    let pool: BlockingPool

    func handle(_ request: Request, context: ServiceContext, next: (Request, ServiceContext) async throws -> Response) async throws -> Response {
        var context = context
        if let header = request.headers[.authorization] {
            guard let token = Self.bearerToken(header) else { throw Self.missing }
            context.caller = try await caller(digest: AccessToken.digest(token), invalid: Self.invalidToken)
        } else if let (id, session) = try await cookieSession(request) {
            if !request.method.isSafe { try Self.checkCSRF(request, session: session) }
            context.caller = session.account
            context.sessionID = id
        } else {
            throw Self.missing
        }
        return try await next(request, context)
    }

    /// The live session named by the request's cookie, bound to a live account; nil without a
    /// cookie. An expired session, or one whose account was revoked, is 401 (and forgotten).
    func cookieSession(_ request: Request) async throws -> (String, SessionStore.Session)? {
        guard let id = request.cookies[SessionStore.cookieName]?.value, !id.isEmpty else { return nil }
        guard let session = try await sessions.session(id: id, on: pool) else {
            throw Problem(.unauthorized, code: "unauthenticated", detail: "the session has ended: sign in again")
        }
        let account: Caller
        do { account = try await caller(digest: session.tokenDigest, invalid: Problem(
            .unauthorized, code: "unauthenticated", detail: "the session's account is revoked: sign in again",
            headers: [.wwwAuthenticate: "Bearer error=\"invalid_token\""])) } catch {
            try? await sessions.close(id: id, on: pool)
            throw error
        }
        var live = session
        live.account = account
        return (id, live)
    }

    /// A bearer token no live account holds.
    static let invalidToken = Problem(.unauthorized, code: "unauthenticated", detail: "the bearer token is unknown or revoked",
                                      headers: [.wwwAuthenticate: "Bearer error=\"invalid_token\""])

    private func caller(digest: String, invalid: Problem) async throws -> Caller {
        let found: Caller?
        if let known = tokens.cachedCaller(digest: digest) { found = known } else {
            let tokens = self.tokens
            found = try await pool.run { try tokens.caller(digest: digest) }
        }
        guard let found else { throw invalid }
        return found
    }

    private static var missing: Problem {
        Problem(.unauthorized, code: "unauthenticated", detail: "a bearer token is required (Authorization: Bearer TOKEN), or a session (sign in at /)",
                headers: [.wwwAuthenticate: "Bearer"])
    }

    /// The session's CSRF token in `X-CSRF-Token` and an `Origin` naming this service.
    static func checkCSRF(_ request: Request, session: SessionStore.Session) throws {
        guard let sent = request.headers[HTTPField.Name(SessionStore.csrfHeader)!], SessionStore.same(sent, session.csrfToken) else {
            throw Problem(.forbidden, code: "csrf", detail: "a request with the session cookie that changes something needs the session's \(SessionStore.csrfHeader) header")
        }
        try checkOrigin(request, required: true)
    }

    /// Refuses (403 `csrf`) an `Origin` other than the service's own (scheme, host and port of the
    /// request's `Host`); `required` refuses a missing one too.
    static func checkOrigin(_ request: Request, required: Bool) throws {
        guard let origin = request.headers[.origin] else {
            if required { throw Problem(.forbidden, code: "csrf", detail: "a request with the session cookie needs an Origin header") }
            return
        }
        guard let host = request.head.authority,
              origin == "http://\(host)" || origin == "https://\(host)" else {
            throw Problem(.forbidden, code: "csrf", detail: "requests from origin \(origin) are not accepted")
        }
    }

    /// The token of a `Bearer` credential (RFC 9110 §11.1: the scheme is case-insensitive).
    /// Read byte by byte: it runs on every request, and Foundation's trimming and case mapping
    /// cost more than the rest of the authentication.
    static func bearerToken(_ header: String) -> String? {
        var header = header
        return header.withUTF8 { bytes -> String? in
            func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }
            var i = 0
            while i < bytes.count, bytes[i] == 0x20 { i += 1 }
            let scheme = Array("bearer".utf8)
            guard bytes.count - i > scheme.count else { return nil }
            for c in scheme {
                let b = bytes[i]
                guard b == c || b == c - 0x20 else { return nil }   // ASCII letters in either case
                i += 1
            }
            guard bytes[i] == 0x20 else { return nil }
            while i < bytes.count, isBlank(bytes[i]) { i += 1 }
            var end = bytes.count
            while end > i, isBlank(bytes[end - 1]) { end -= 1 }
            guard end > i else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<end]), as: UTF8.self)
        }
    }
}

extension HTTPRequest.Method {
    /// GET and HEAD: methods that change nothing (RFC 9110 §9.2.1), exempt from the CSRF check.
    var isSafe: Bool { self == .get || self == .head }
}
