import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CreditService

extension ServiceOnSQLiteTests {
    /// Every error the service answers on a live server is documented for its route with the
    /// Problem schema, and its body carries the schema's required members with their types.
    @Test func openAPIDocumentsEveryErrorTheServiceAnswers() async throws {
        var limits = ServiceLimits()
        limits.maxConcurrentChecks = 0
        let cases: [(method: HTTPRequest.Method, uri: String, path: String, token: String?, type: String?, body: String?, status: Int)] = [
            (.get, "/v1/subjects/91350200MA2XH1K70Y", "/v1/subjects/{id}", nil, nil, nil, 401),
            (.get, "/v1/subjects/91350200MA2XH1K70Y", "/v1/subjects/{id}", Self.bank, nil, nil, 403),
            (.get, "/v1/subjects/91350100M000100Y43", "/v1/subjects/{id}", Self.officer, nil, nil, 404),
            (.get, "/v1/subjects/91350200MA2XH1K70Y?as_of=2024-13-01", "/v1/subjects/{id}", Self.officer, nil, nil, 400),
            (.get, "/v1/subjects/91350200MA2XH1K70Y/measures", "/v1/subjects/{id}/measures", Self.bank, nil, nil, 403),
            (.get, "/v1/subjects/91350100M000100Y43/measures", "/v1/subjects/{id}/measures", Self.officer, nil, nil, 404),
            (.get, "/v1/search", "/v1/search", Self.operatorToken, nil, nil, 400),
            (.get, "/v1/search?q=x", "/v1/search", Self.bank, nil, nil, 403),
            (.get, "/v1/rules", "/v1/rules", nil, nil, nil, 401),
            (.get, "/v1/rules", "/v1/rules", Self.operatorToken, nil, String(repeating: "x", count: 20_000), 413),
            (.post, "/v1/check", "/v1/check", Self.officer, nil, "code\n", 403),
            (.post, "/v1/check", "/v1/check", Self.bank, "application/json", "{}", 415),
            (.post, "/v1/check", "/v1/check", Self.bank, "text/csv", "code\n91350200MA2XH1K70Y\n", 429),
            (.post, "/v1/feedback", "/v1/feedback", nil, "application/json", "{}", 401),
            (.post, "/v1/feedback", "/v1/feedback", Self.bank, "application/json", Self.feedback("91350200MA2XH1K70Y"), 403),
            (.post, "/v1/feedback", "/v1/feedback", Self.officer, "application/json", "{}", 400),
            (.post, "/v1/feedback", "/v1/feedback", Self.officer, "application/json", Self.feedback("91350200MA2XH1K70Y", date: "2025-02-30"), 400),
            (.post, "/v1/feedback", "/v1/feedback", Self.officer, "application/json", Self.feedback("91350100M000100Y43"), 404),
            (.post, "/v1/feedback", "/v1/feedback", Self.officer, "application/json", Self.feedback("91350200MA2XH1K70Y"), 422),
        ]
        let document = json(String(decoding: try Data(contentsOf: Self.root.appendingPathComponent("Sources/CreditService/Resources/openapi.json")),
                                           as: UTF8.self))
        let problem = ((document["components"] as? [String: Any])?["schemas"] as? [String: Any])?["Problem"] as? [String: Any] ?? [:]
        let required = problem["required"] as? [String] ?? []
        let types = (problem["properties"] as? [String: [String: Any]] ?? [:]).mapValues { $0["type"] as? String ?? "" }
        #expect(!required.isEmpty)
        let answers = try await app(limits).test(.live) { client in
            var answers: [(status: Int, type: String?, body: String)] = []
            for c in cases {
                var headers: HTTPFields = [:]
                if let token = c.token { headers[.authorization] = "Bearer \(token)" }
                if let type = c.type { headers[.contentType] = type }
                answers.append(try await client.execute(uri: c.uri, method: c.method, headers: headers, body: c.body.map { ByteBuffer(string: $0) }) {
                    (Int($0.status.code), $0.headers[.contentType], String(buffer: $0.body))
                })
            }
            return answers
        }
        for (c, r) in zip(cases, answers) {
            #expect(r.status == c.status, "\(c.uri)")
            let operation = ((document["paths"] as? [String: Any])?[c.path] as? [String: Any])?[c.method.rawValue.lowercased()] as? [String: Any]
            let response = (operation?["responses"] as? [String: Any])?["\(c.status)"] as? [String: Any]
            let schema = ((response?["content"] as? [String: Any])?["application/problem+json"] as? [String: Any])?["schema"] as? [String: Any]
            #expect(schema?["$ref"] as? String == "#/components/schemas/Problem", "\(c.method) \(c.path) documents \(c.status)")
            #expect(r.type?.hasPrefix("application/problem+json") == true, "\(c.uri)")
            let body = json(r.body)
            for key in required {
                let ok = switch types[key] {
                case "integer": body[key] is Int
                default: body[key] is String
                }
                #expect(ok, "\(c.uri): member \(key) of type \(types[key] ?? "?")")
            }
            #expect(body["status"] as? Int == c.status)
        }
    }

    /// A feedback body for `subject` with a measure no rule gives.
    static func feedback(_ subject: String, date: String = "2025-01-02") -> String {
        #"{"subject": "\#(subject)", "measure": "no_such_measure", "case_number": "稽查〔2025〕1号", "date": "\#(date)"}"#
    }
}
