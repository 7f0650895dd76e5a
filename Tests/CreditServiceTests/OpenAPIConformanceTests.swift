import CreditOperations
import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Testing
@testable import CreditService

/// `openapi.json` describes the API exactly: every route the router has is documented and every
/// documented operation exists; and every endpoint, called on a live server for its successes
/// and its errors, answers with a documented status, a documented content type and a body that
/// the documented schema accepts (objects closed: no member the document does not name).
extension ServiceOnSQLiteTests {
    /// One request and the documented operation it exercises.
    struct Call: CustomStringConvertible {
        var method: HTTPRequest.Method
        var uri: String
        var path: String
        var status: Int
        var headers: HTTPFields = [:]
        var body: String? = nil
        var description: String { "\(method) \(uri) → \(status)" }
    }

    /// The served document.
    func openAPIDocument(_ client: some TestClientProtocol) async throws -> JSONValue {
        try await client.execute(uri: "/openapi.json", method: .get) { try JSONValue.parse(String(buffer: $0.body)) }
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedOperationIsARoute() async throws {
        let router = buildRouter(operations: operations, tokens: tokens)
        let routes = Set(router.routes.map { route -> String in
            let template = RouteMetrics.template("/" + route.path.description.trimmingCharacters(in: CharacterSet(charactersIn: "/")))
            return "\(route.method.rawValue) \(template)"
        })
        let document = try JSONValue.parse(String(decoding: try Data(contentsOf: Self.root.appendingPathComponent("Sources/CreditService/Resources/openapi.json")), as: UTF8.self))
        let documented = Set((document["paths"]?.object ?? [:]).flatMap { path, item in
            (item.object ?? [:]).keys.filter { ["get", "post", "put", "delete", "patch", "head"].contains($0) }.map { "\($0.uppercased()) \(path)" }
        })
        #expect(routes.count > 15)
        #expect(routes.subtracting(documented).sorted() == [], "routes missing from openapi.json")
        #expect(documented.subtracting(routes).sorted() == [], "documented operations the router does not have")
    }

    @Test func everyEndpointAnswersAsDocumentedForSuccessesAndErrors() async throws {
        let officer: HTTPFields = [.authorization: "Bearer \(Self.officer)"]
        let bank: HTTPFields = [.authorization: "Bearer \(Self.bank)"]
        let op: HTTPFields = [.authorization: "Bearer \(Self.operatorToken)"]
        let origin = "http://localhost"
        let jsonFrom: HTTPFields = [.contentType: "application/json", .origin: origin]
        @Sendable func with(_ a: HTTPFields, _ b: HTTPFields) -> HTTPFields { var f = a; for field in b { f[field.name] = field.value }; return f }
        let feedback = #"{"subject": "91350200MA2XH1K70Y", "measure": "tax_grade_d", "case_number": "稽查〔2025〕9号", "date": "2025-07-09"}"#
        let csv = "code,name\n91350200MA2XH1K70Y,华兴科技(厦门)有限公司\n350221197203140316,陈建国\n91350100M000100Y44,坏代码\n"

        try await app().test(.live) { client in
            let document = try await openAPIDocument(client)
            let validator = SchemaValidator(document: document)
            // Sessions: one to read and sign out with DELETE, one for POST /session/sign-out.
            let first = try await signIn(client, token: Self.officer)
            let second = try await signIn(client, token: Self.officer)
            let csrf = HTTPField.Name(SessionStore.csrfHeader)!
            let firstCookie: HTTPFields = [.cookie: first.cookie]
            let calls: [Call] = [
                Call(method: .get, uri: "/health", path: "/health", status: 200),
                Call(method: .get, uri: "/", path: "/", status: 200),
                Call(method: .get, uri: "/openapi.json", path: "/openapi.json", status: 200),
                Call(method: .get, uri: "/public", path: "/public", status: 200),
                Call(method: .get, uri: "/public/", path: "/public", status: 200),
                Call(method: .get, uri: "/metrics", path: "/metrics", status: 200, headers: op),
                Call(method: .get, uri: "/metrics", path: "/metrics", status: 401),
                Call(method: .get, uri: "/metrics", path: "/metrics", status: 403, headers: officer),

                Call(method: .post, uri: "/session", path: "/session", status: 201, headers: jsonFrom, body: #"{"token": "\#(Self.officer)"}"#),
                Call(method: .post, uri: "/session", path: "/session", status: 400, headers: jsonFrom, body: #"{"tok": 1}"#),
                Call(method: .post, uri: "/session", path: "/session", status: 401, headers: jsonFrom, body: #"{"token": "cct_unknown-token-0123456789abc"}"#),
                Call(method: .post, uri: "/session", path: "/session", status: 403,
                     headers: [.contentType: "application/json", .origin: "https://evil.example"], body: #"{"token": "\#(Self.officer)"}"#),
                Call(method: .post, uri: "/session", path: "/session", status: 413, headers: jsonFrom, body: String(repeating: " ", count: 20_000)),
                Call(method: .get, uri: "/session", path: "/session", status: 200, headers: firstCookie),
                Call(method: .get, uri: "/session", path: "/session", status: 200, headers: officer),
                Call(method: .get, uri: "/session", path: "/session", status: 401),
                Call(method: .delete, uri: "/session", path: "/session", status: 403, headers: with(firstCookie, [.origin: origin])),
                Call(method: .delete, uri: "/session", path: "/session", status: 401),
                Call(method: .post, uri: "/session/sign-out", path: "/session/sign-out", status: 204,
                     headers: [.cookie: second.cookie, csrf: second.csrf, .origin: origin]),
                Call(method: .post, uri: "/session/sign-out", path: "/session/sign-out", status: 401),
                Call(method: .delete, uri: "/session", path: "/session", status: 204, headers: with(firstCookie, [csrf: first.csrf, .origin: origin])),

                Call(method: .get, uri: "/v1/subjects/91350200MA2XH1K70Y", path: "/v1/subjects/{id}", status: 200, headers: officer),
                Call(method: .get, uri: "/v1/subjects/350221197203140316", path: "/v1/subjects/{id}", status: 200, headers: officer),
                Call(method: .get, uri: "/v1/subjects/350221197203140316?unmask=true", path: "/v1/subjects/{id}", status: 200, headers: officer),
                Call(method: .get, uri: "/v1/subjects/350200201603011?as_of=2024-06-01", path: "/v1/subjects/{id}", status: 200, headers: officer),
                Call(method: .get, uri: "/v1/subjects/91350200MA2XH1K70Y", path: "/v1/subjects/{id}", status: 401),
                Call(method: .get, uri: "/v1/subjects/91350200MA2XH1K70Y", path: "/v1/subjects/{id}", status: 403, headers: bank),
                Call(method: .get, uri: "/v1/subjects/91350100M000100Y43", path: "/v1/subjects/{id}", status: 404, headers: officer),
                Call(method: .get, uri: "/v1/subjects/91350200MA2XH1K70Y?as_of=2024-13-01", path: "/v1/subjects/{id}", status: 400, headers: officer),
                Call(method: .get, uri: "/v1/subjects/91350200MA2XH1K70Y/measures", path: "/v1/subjects/{id}/measures", status: 200, headers: officer),
                Call(method: .get, uri: "/v1/subjects/350221197203140316/measures", path: "/v1/subjects/{id}/measures", status: 200, headers: officer),
                Call(method: .get, uri: "/v1/subjects/91350200MA2XH1K70Y/measures", path: "/v1/subjects/{id}/measures", status: 401),
                Call(method: .get, uri: "/v1/subjects/91350200MA2XH1K70Y/measures", path: "/v1/subjects/{id}/measures", status: 403, headers: bank),
                Call(method: .get, uri: "/v1/subjects/91350100M000100Y43/measures", path: "/v1/subjects/{id}/measures", status: 404, headers: officer),
                Call(method: .get, uri: "/v1/search?q=%E5%8D%8E%E5%85%B4", path: "/v1/search", status: 200, headers: op),
                Call(method: .get, uri: "/v1/search?q=%E5%85%AC%E5%8F%B8&limit=100", path: "/v1/search", status: 200, headers: officer),
                Call(method: .get, uri: "/v1/search", path: "/v1/search", status: 400, headers: op),
                Call(method: .get, uri: "/v1/search?q=x", path: "/v1/search", status: 401),
                Call(method: .get, uri: "/v1/search?q=x", path: "/v1/search", status: 403, headers: bank),
                Call(method: .post, uri: "/v1/check", path: "/v1/check", status: 200, headers: with(bank, [.contentType: "text/csv"]), body: csv),
                Call(method: .post, uri: "/v1/check?format=csv", path: "/v1/check", status: 200, headers: bank, body: csv),
                Call(method: .post, uri: "/v1/check?code_column=nope", path: "/v1/check", status: 400, headers: bank, body: csv),
                Call(method: .post, uri: "/v1/check", path: "/v1/check", status: 401, body: csv),
                Call(method: .post, uri: "/v1/check", path: "/v1/check", status: 403, headers: officer, body: csv),
                Call(method: .post, uri: "/v1/check", path: "/v1/check", status: 415, headers: with(bank, [.contentType: "application/json"]), body: "{}"),
                Call(method: .get, uri: "/v1/rules", path: "/v1/rules", status: 200, headers: op),
                Call(method: .get, uri: "/v1/rules", path: "/v1/rules", status: 401),
                Call(method: .get, uri: "/v1/rules", path: "/v1/rules", status: 413, headers: op, body: String(repeating: "x", count: 20_000)),
                Call(method: .post, uri: "/v1/feedback", path: "/v1/feedback", status: 201, headers: with(officer, [.contentType: "application/json"]), body: feedback),
                Call(method: .post, uri: "/v1/feedback", path: "/v1/feedback", status: 400, headers: officer, body: "{}"),
                Call(method: .post, uri: "/v1/feedback", path: "/v1/feedback", status: 401, body: feedback),
                Call(method: .post, uri: "/v1/feedback", path: "/v1/feedback", status: 403, headers: bank, body: feedback),
                Call(method: .post, uri: "/v1/feedback", path: "/v1/feedback", status: 404, headers: officer,
                     body: feedback.replacingOccurrences(of: "91350200MA2XH1K70Y", with: "91350100M000100Y43")),
                Call(method: .post, uri: "/v1/feedback", path: "/v1/feedback", status: 422, headers: officer,
                     body: feedback.replacingOccurrences(of: "tax_grade_d", with: "no_such_measure")),

                Call(method: .get, uri: "/public/v1/subjects/91350200MA2XH1K70Y", path: "/public/v1/subjects/{code}", status: 200),
                Call(method: .get, uri: "/public/v1/subjects/350221197203140316", path: "/public/v1/subjects/{code}", status: 404),
                Call(method: .get, uri: "/public/v1/subjects/" + String(repeating: "9", count: 65), path: "/public/v1/subjects/{code}", status: 400),
                Call(method: .get, uri: "/public/v1/search?q=%E5%8D%8E%E5%85%B4", path: "/public/v1/search", status: 200),
                Call(method: .get, uri: "/public/v1/search", path: "/public/v1/search", status: 400),
                Call(method: .get, uri: "/public/v1/search?q=x&limit=51", path: "/public/v1/search", status: 400),
            ]
            var exercised: Set<String> = []
            for call in calls {
                let (status, type, body) = try await client.execute(uri: call.uri, method: call.method, headers: call.headers,
                                                                    body: call.body.map { ByteBuffer(string: $0) }) {
                    (Int($0.status.code), $0.headers[.contentType], String(buffer: $0.body))
                }
                #expect(status == call.status, "\(call): \(body.prefix(300))")
                guard status == call.status else { continue }
                if (200..<300).contains(status) { exercised.insert("\(call.method.rawValue) \(call.path)") }
                let operation = document["paths"]?[call.path]?[call.method.rawValue.lowercased()]
                guard let response = operation?["responses"]?["\(status)"] else {
                    Issue.record("\(call): status \(status) is not documented for \(call.method) \(call.path)")
                    continue
                }
                guard let content = response["content"]?.object else {
                    #expect(body.isEmpty, "\(call): a body where the document has none")
                    continue
                }
                let media = (type ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
                guard let schema = content[media]?["schema"] else {
                    Issue.record("\(call): Content-Type \(type ?? "none") is not documented (documented: \(content.keys.sorted())) or has no schema")
                    continue
                }
                let failures: [String]
                switch media {
                case "application/json", "application/problem+json":
                    failures = validator.errors(try JSONValue.parse(body), schema)
                case "application/x-ndjson":
                    let lines = body.split(separator: "\n")
                    #expect(!lines.isEmpty, "\(call): no verdicts")
                    failures = try lines.enumerated().flatMap { validator.errors(try JSONValue.parse(String($0.element)), schema, at: "line \($0.offset + 1)") }
                default:
                    #expect(!body.isEmpty, "\(call): an empty \(media) body")
                    failures = validator.errors(.string(body), schema)
                }
                #expect(failures.isEmpty, "\(call): \(failures.prefix(10).joined(separator: "; "))")
                if media == "application/problem+json" { #expect(json(body)["status"] as? Int == status, "\(call)") }
            }
            let operations = (document["paths"]?.object ?? [:]).flatMap { path, item in
                (item.object ?? [:]).keys.filter { ["get", "post", "delete"].contains($0) }.map { "\($0.uppercased()) \(path)" }
            }
            #expect(Set(operations).subtracting(exercised).sorted() == [], "documented operations no call answered with success")
        }
    }

    /// The validator is strict where it matters: it must be able to fail.
    @Test func theSchemaValidatorRefusesWhatTheDocumentDoesNotSay() throws {
        let document = try JSONValue.parse(#"{"components": {"schemas": {"P": {"type": "object", "required": ["a"], "properties": {"a": {"type": "integer"}, "d": {"type": "string", "format": "date", "nullable": true}, "e": {"type": "string", "enum": ["x"]}}}}}}"#)
        let v = SchemaValidator(document: document)
        let p = try JSONValue.parse(##"{"$ref": "#/components/schemas/P"}"##)
        #expect(v.errors(try JSONValue.parse(#"{"a": 1, "d": "2025-07-10", "e": "x"}"#), p) == [])
        #expect(v.errors(try JSONValue.parse(#"{"a": 1, "d": null}"#), p) == [])
        #expect(!v.errors(try JSONValue.parse(#"{"d": "2025-07-10"}"#), p).isEmpty, "a required member missing")
        #expect(!v.errors(try JSONValue.parse(#"{"a": 1, "b": 2}"#), p).isEmpty, "an undocumented member")
        #expect(!v.errors(try JSONValue.parse(#"{"a": true}"#), p).isEmpty, "a boolean is no integer")
        #expect(!v.errors(try JSONValue.parse(#"{"a": 1.5}"#), p).isEmpty, "a fraction is no integer")
        #expect(!v.errors(try JSONValue.parse(#"{"a": 1, "d": "2025-02-30"}"#), p).isEmpty, "no such day")
        #expect(!v.errors(try JSONValue.parse(#"{"a": 1, "e": "y"}"#), p).isEmpty, "outside the enum")
        #expect(!v.errors(try JSONValue.parse(#"{"a": null}"#), p).isEmpty, "null where not nullable")
        #expect(!v.errors(.integer(1), try JSONValue.parse(#"{"type": "integer", "pattern": "x"}"#)).isEmpty, "an unsupported keyword")
    }
}
