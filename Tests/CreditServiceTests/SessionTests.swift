import CreditTestSupport
import CreditOperations
import CreditRegistry
import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Testing
@testable import CreditService

/// The officers' page's sessions on a live server: the cookie's attributes, CSRF and origin
/// checks on requests that change something, sign-out, revocation (on SQLite and on PostgreSQL,
/// where the servers of one database share their sessions), and the page's headers.
struct PageAnswer { var status: Int; var body: String; var headers: HTTPFields }

extension LiveServiceCalls {
    func send(_ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, headers: HTTPFields = [:], body: String? = nil) async throws -> PageAnswer {
        try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { r in
            PageAnswer(status: Int(r.status.code), body: String(buffer: r.body), headers: r.headers)
        }
    }

    /// Signs in with `token` from the service's own origin: the cookie header to send back and the CSRF token.
    func signIn(_ client: some TestClientProtocol, token: String) async throws -> (cookie: String, csrf: String, answer: PageAnswer) {
        let a = try await send(client, .post, "/session", headers: [.contentType: "application/json", .origin: "http://localhost"],
                               body: #"{"token": "\#(token)"}"#)
        let setCookie = a.headers[.setCookie] ?? ""
        let cookie = String(setCookie.split(separator: ";").first ?? "")
        return (cookie, json(a.body)["csrf_token"] as? String ?? "", a)
    }

}

extension ServiceTests {
    @Test(arguments: TestBackend.allCases) func signInSetsAnHttpOnlyStrictCookieThatReadsTheAPI(_ backend: TestBackend) async throws {
        let sample = try ServiceSample(backend)
        try await sample.app().test(.live) { client in
            let s = try await signIn(client, token: Self.officer)
            #expect(s.answer.status == 201)
            let attributes = (s.answer.headers[.setCookie] ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(attributes.first?.hasPrefix("\(SessionStore.cookieName)=") == true)
            #expect(attributes.contains("HttpOnly") && attributes.contains("SameSite=Strict") && attributes.contains("Path=/"))
            #expect(!s.answer.body.contains(Self.officer), "the token is never echoed")
            let body = json(s.answer.body)
            #expect(body["name"] as? String == "officer-07" && body["department"] as? String == "sat" && s.csrf.count >= 40)

            let report = try await send(client, .get, "/v1/subjects/91350200MA2XH1K70Y", headers: [.cookie: s.cookie])
            #expect(report.status == 200)
            let me = try await send(client, .get, "/session", headers: [.cookie: s.cookie])
            #expect(me.status == 200 && json(me.body)["csrf_token"] as? String == s.csrf)

            let wrong = try await signIn(client, token: "cct_not-a-known-token-0123456789")
            #expect(wrong.answer.status == 401 && wrong.answer.headers[.setCookie] == nil)
            let otherSite = try await send(client, .post, "/session", headers: [.contentType: "application/json", .origin: "https://evil.example"],
                                           body: #"{"token": "\#(Self.officer)"}"#)
            #expect(otherSite.status == 403 && problemCode(otherSite.body) == "csrf" && otherSite.headers[.setCookie] == nil)
            let forged = try await send(client, .get, "/v1/search?q=%E5%8D%8E%E5%85%B4", headers: [.cookie: "\(SessionStore.cookieName)=made-up"])
            #expect(forged.status == 401 && problemCode(forged.body) == "unauthenticated")
        }
    }

    @Test(arguments: TestBackend.allCases) func cookieRequestsThatChangeSomethingNeedTheCSRFHeaderAndOwnOrigin(_ backend: TestBackend) async throws {
        let sample = try ServiceSample(backend)
        try await sample.app().test(.live) { client in
            let s = try await signIn(client, token: Self.officer)
            let csrf = HTTPField.Name(SessionStore.csrfHeader)!
            let cases: [(HTTPFields, Int, String?)] = [
                ([.cookie: s.cookie, .origin: "http://localhost"], 403, "csrf"),                                   // no CSRF header
                ([.cookie: s.cookie, .origin: "http://localhost", csrf: String(s.csrf.reversed())], 403, "csrf"),  // wrong token
                ([.cookie: s.cookie, csrf: s.csrf], 403, "csrf"),                                                   // no Origin
                ([.cookie: s.cookie, .origin: "http://evil.example", csrf: s.csrf], 403, "csrf"),                 // other origin
                ([.cookie: s.cookie, .origin: "http://localhost", csrf: s.csrf], 204, nil),                        // signs out
            ]
            for (headers, status, code) in cases {
                let a = try await send(client, .post, "/session/sign-out", headers: headers)
                #expect(a.status == status, "\(headers)")
                if let code { #expect(problemCode(a.body) == code) }
            }
            let after = try await send(client, .get, "/v1/subjects/91350200MA2XH1K70Y", headers: [.cookie: s.cookie])
            #expect(after.status == 401, "signed out: the cookie no longer reads anything")
            // DELETE /session ends a session the same way, and clears the cookie.
            let t = try await signIn(client, token: Self.officer)
            let deleted = try await send(client, .delete, "/session", headers: [.cookie: t.cookie, .origin: "http://localhost", csrf: t.csrf])
            #expect(deleted.status == 204 && (deleted.headers[.setCookie] ?? "").contains("Max-Age=0"))
            #expect(try await send(client, .get, "/session", headers: [.cookie: t.cookie]).status == 401)
        }
    }

    @Test(arguments: TestBackend.allCases) func revokingTheAccountEndsItsSessions(_ backend: TestBackend) async throws {
        let sample = try ServiceSample(backend)
        try await sample.app().test(.live) { client in
            let s = try await signIn(client, token: Self.officer)
            #expect(try await send(client, .get, "/session", headers: [.cookie: s.cookie]).status == 200)
            try sample.operations.revokeAccount(named: "officer-07", actor: "test")
            let after = try await send(client, .get, "/v1/subjects/91350200MA2XH1K70Y", headers: [.cookie: s.cookie])
            #expect(after.status == 401 && problemCode(after.body) == "unauthenticated")
        }
    }
}

extension ServiceOnSQLiteTests {
    @Test func sessionsExpireWhenIdle() async throws {
        let sessions = SessionStore(idleTimeout: .zero)
        let (id, _) = sessions.open(account: Account(name: "officer-07", role: .officer, department: "sat"), tokenDigest: AccessToken.digest(Self.officer))
        #expect(sessions.session(id: id) == nil, "an idle session past its timeout is gone")
        let lasting = SessionStore()
        let (kept, _) = lasting.open(account: Account(name: "officer-07", role: .officer, department: "sat"), tokenDigest: AccessToken.digest(Self.officer))
        #expect(lasting.session(id: kept)?.account.name == "officer-07")
        lasting.close(id: kept)
        #expect(lasting.session(id: kept) == nil)
    }

    @Test func thePageAllowsOnlyItsOwnInlineScriptAndStyle() async throws {
        try await app().test(.live) { client in
            let page = try await send(client, .get, "/")
            #expect(page.status == 200)
            let policy = page.headers[.contentSecurityPolicy] ?? ""
            #expect(policy.contains("default-src 'none'") && policy.contains("connect-src 'self'") && policy.contains("frame-ancestors 'none'"))
            #expect(policy.contains("script-src 'sha256-") && !policy.contains("unsafe-inline"))
            #expect(!page.body.contains("http://") && !page.body.contains("https://") && !page.body.contains("src="), "no external resource")
            #expect(!page.body.contains("innerHTML"), "data is never written as HTML")
            #expect(OfficerPage.blocks(of: "script", in: page.body).count == 1)
        }
    }
}
