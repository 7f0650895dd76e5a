import CreditOperations
import CreditRegistry
import Foundation
import Hummingbird

/// Sign-in and sign-out of the officers' page.
///
/// - `POST /session` `{"token": "…"}` — 201 with the account and the session's CSRF token, and
///   the session cookie (`HttpOnly; SameSite=Strict; Path=/`); 401 for an unknown or revoked
///   token; 403 `csrf` from another origin.
/// - `GET /session` — the signed-in account and CSRF token (the page asks on load).
/// - `DELETE /session`, `POST /session/sign-out` — ends the session (CSRF header required) and
///   clears the cookie; 204.
struct SessionController {
    let tokens: TokenStore
    let sessions: SessionStore
    let pool: BlockingPool

    /// The session as the page sees it.
    struct SessionView: Codable {
        var name: String
        var role: String
        var department: String?
        /// Sent back in `X-CSRF-Token` on every request that changes something (nil for bearer callers).
        var csrf_token: String?
        /// Seconds until the session ends at the latest.
        var expires_in: Int?
    }

    struct SignIn: Decodable { var token: String }

    func add(to router: Router<ServiceContext>) {
        router.post("session", use: signIn)
        let signedIn = router.group("session").add(middleware: CallerAuthenticator(tokens: tokens, sessions: sessions, pool: pool))
        signedIn.get(use: current)
        signedIn.delete(use: signOut)
        signedIn.post("sign-out", use: signOut)
    }

    @Sendable func signIn(_ request: Request, context: ServiceContext) async throws -> Response {
        try CallerAuthenticator.checkOrigin(request, required: false)
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        guard let signIn = try? JSONDecoder().decode(SignIn.self, from: Data(buffer: body)) else {
            throw Problem(.badRequest, code: "invalid_body", detail: "the body must be JSON {\"token\": \"…\"}")
        }
        let token = signIn.token.trimmingCharacters(in: .whitespacesAndNewlines)
        let digest = AccessToken.digest(token)
        let tokens = self.tokens
        let found: Caller?
        if token.isEmpty { found = nil } else if let known = tokens.cachedCaller(digest: digest) { found = known } else {
            found = try await pool.run { try tokens.caller(digest: digest) }
        }
        guard let account = found else {
            throw Problem(.unauthorized, code: "unauthenticated", detail: "the token is unknown or revoked")
        }
        if let old = request.cookies[SessionStore.cookieName]?.value { try await sessions.close(id: old, on: pool) }
        let (id, session) = try await sessions.open(account: account, tokenDigest: digest, on: pool)
        var response = try JSONBody.response(view(session.account, csrf: session.csrfToken), status: .created)
        response.headers[.setCookie] = "\(SessionStore.cookieName)=\(id); Path=/; HttpOnly; SameSite=Strict; Max-Age=\(Int(sessions.lifetime.components.seconds))"
        response.headers[.cacheControl] = "no-store"
        return response
    }

    @Sendable func current(_ request: Request, context: ServiceContext) async throws -> Response {
        let account = try context.account()
        var csrf: String?
        if let id = context.sessionID { csrf = try await sessions.session(id: id, on: pool)?.csrfToken }
        var response = try JSONBody.response(view(account, csrf: csrf))
        response.headers[.cacheControl] = "no-store"
        return response
    }

    @Sendable func signOut(_ request: Request, context: ServiceContext) async throws -> Response {
        if let id = context.sessionID { try await sessions.close(id: id, on: pool) }
        var response = Response(status: .noContent)
        response.headers[.setCookie] = "\(SessionStore.cookieName)=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"
        return response
    }

    private func view(_ account: Caller, csrf: String?) -> SessionView {
        SessionView(name: account.name, role: account.role.rawValue, department: account.department, csrf_token: csrf,
                    expires_in: csrf == nil ? nil : Int(sessions.lifetime.components.seconds))
    }
}
