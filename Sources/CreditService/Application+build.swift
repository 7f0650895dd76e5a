import CreditRegistry
import Foundation
import Hummingbird

/// Builds the HTTP service: a thin layer over the same library calls as `creditctl`.
///
/// - `GET /health` — liveness, no token.
/// - `GET /`, `GET /openapi.json` — the officers' page and the API description, no token.
/// - `GET /v1/subjects/{id}`, `GET /v1/search`, `POST /v1/check`, `GET /v1/rules` — bearer token,
///   checked against the caller's role; look-ups are audited with the caller as actor.
///
/// ```swift
/// let app = try buildApplication(registry: registry, tokens: TokenStore(file: "tokens.json"),
///                                host: "127.0.0.1", port: 8080)
/// try await app.runService()
/// ```
public func buildApplication(registry: Registry, tokens: TokenStore, host: String, port: Int) -> some ApplicationProtocol {
    Application(router: buildRouter(registry: registry, tokens: tokens),
                configuration: .init(address: .hostname(host, port: port), serverName: "creditctl"))
}

/// The router alone (tests drive it with or without a socket).
public func buildRouter(registry: Registry, tokens: TokenStore) -> Router<ServiceContext> {
    let router = Router(context: ServiceContext.self)
    router.get("health") { _, _ in "ok" }
    router.get("/") { _, _ in try StaticResource.response("officer.html", type: "text/html; charset=utf-8") }
    router.get("openapi.json") { _, _ in try StaticResource.response("openapi.json", type: "application/json") }
    let v1 = router.group("v1").add(middleware: TokenAuthenticator(tokens: tokens))
    v1.addRoutes(SubjectsController(registry: registry, rules: ActiveRules(registry: registry),
                                    audit: AuditBatcher(log: AuditLog(registry: registry))).endpoints)
    v1.addRoutes(CheckController(registry: registry).endpoints)
    v1.addRoutes(RulesController(registry: registry).endpoints)
    return router
}

/// Files shipped in the target's resources.
enum StaticResource {
    static func response(_ name: String, type: String) throws -> Response {
        guard let url = Bundle.module.url(forResource: "Resources/\(name)", withExtension: nil),
              let data = try? Data(contentsOf: url) else { throw HTTPError(.notFound) }
        return Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
