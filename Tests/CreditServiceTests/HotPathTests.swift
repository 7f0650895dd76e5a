import CreditOperations
import CreditTestSupport
import CreditRegistry
import Foundation
import HummingbirdTesting
import Testing
@testable import CreditService

/// The parts of the look-up path that were rewritten for speed keep their meaning.
@Suite struct HotPathTests {
    @Test func bearerTokenSchemeIsCaseInsensitiveAndSpacesAreTrimmed() {
        let cases: [(header: String, token: String?)] = [
            ("Bearer abc", "abc"), ("bearer abc", "abc"), ("BEARER   abc  ", "abc"), ("  Bearer abc", "abc"),
            ("bEaReR a b", "a b"), ("Bearer 令牌", "令牌"),
            ("Bearerabc", nil), ("Bearer", nil), ("Bearer   ", nil), ("Basic abc", nil), ("Bearer\tabc", nil),
            ("Béarer abc", nil), ("Bearex abc", nil), ("", nil), ("   ", nil),
        ]
        for c in cases {
            #expect(CallerAuthenticator.bearerToken(c.header) == c.token, "\(c.header)")
        }
    }

    @Test func aRequestPastItsDeadlineIsCancelledAndAnAnsweredOneIsForgotten() async {
        let deadlines = RequestDeadlines(tick: .milliseconds(5))
        let fired = LockedBox([String]())
        let answered = deadlines.add(.seconds(3600)) { fired.withValue { $0.append("answered") } }
        #expect(deadlines.registered == 1)
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            _ = deadlines.add(.zero) { fired.withValue { $0.append("expired") }; c.resume() }
        }
        deadlines.remove(answered)
        #expect(fired.value == ["expired"])
        #expect(deadlines.registered == 0)
    }
}

extension ServiceOnSQLiteTests {
    /// A service that stops (its checkpointer cancelled) still anchors the look-ups it answered
    /// last in a signed checkpoint.
    @Test func theLastCheckpointIsWrittenWhenTheServiceStops() async throws {
        _ = try operations.measures("91350200MA2XH1K70Y", viewer: Viewer(actor: "api:officer-07", maySeePersonalIDs: false))
        #expect(try operations.verifyAudit().unanchored > 0)
        let checkpointer = Task { await AuditCheckpointer(operations: operations).run(every: .seconds(3600)) }
        checkpointer.cancel()
        await checkpointer.value
        let v = try operations.verifyAudit()
        #expect(v.isIntact && v.unanchored == 0 && v.anchored == Int64(v.entries), "\(v)")
    }
}

extension ServiceOnSQLiteTests {
    /// The measures answer written by hand into the response's buffer is byte for byte what the
    /// service's encoder makes of ``MeasuresView`` (keys sorted, slashes unescaped), with text
    /// that needs escaping, Chinese text, a measure without an end and one with.
    @Test func theMeasuresAnswerWrittenIntoTheBufferIsTheEncodersJSON() throws {
        let viewer = Viewer(actor: "api:officer-07", maySeePersonalIDs: false)
        var result = try #require(try operations.measures("91350200MA2XH1K70Y", asOf: try Day("2024-06-01"), viewer: viewer))
        try #require(!result.measures.isEmpty)
        result.name = "华兴 \"quoted\" back\\slash a/b\nline\ttab \u{1}"
        var second = result.measures[0]
        second.basis = "《条例》第十条\r\n\u{1f}"; second.validUntil = try Day("2030-01-01"); second.causedBy = [7, 12]
        result.measures.append(second)
        result.measures[0].validUntil = nil
        for r in [result, try #require(try operations.measures("91350200MA2XH1K70Y", viewer: viewer))] {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let expected = String(decoding: try encoder.encode(MeasuresView(r)), as: UTF8.self)
            #expect(String(buffer: MeasuresView.json(r)) == expected)
        }
    }

    /// Look-ups from many clients at once, batched together, each get their own subject's answer,
    /// and each leaves its own audit entry.
    @Test func lookUpsAtOnceFromManyClientsEachGetTheirOwnAnswerAndEntry() async throws {
        let codes = try registry.read { db in try String.fetchAll(db, sql: "SELECT code FROM subject WHERE kind != 'natural_person' ORDER BY code LIMIT 25") }
        try #require(codes.count >= 4)
        let before = try operations.audit.entries(subject: nil, limit: 100_000).filter { $0.action == "lookup" }.count
        let rounds = 4
        try await app().test(.live) { client in
            try await lookUpAtOnce(client, codes: codes, rounds: rounds)
        }
        try expectOwnAuditEntries(codes: codes, rounds: rounds, after: before)
    }
}

extension ServiceErrorTests {
    /// A look-up whose probe fails is a 500 problem document, logged once as an internal error
    /// (with the error) and once as a request with the status the caller got; it leaves no
    /// audit entry (nothing was shown).
    @Test func aMeasuresLookUpWhoseProbeFailsIs500InternalAndLoggedWithItsStatus() async throws {
        try RawSQLite.execute(path, "UPDATE subject SET status_since = 'not-a-day' WHERE code = '\(Self.company)'")
        let before = try CreditOperations.open(path: path).audit.entries(subject: Self.company, limit: 100).count
        try await app().test(.live) { client in
            let r = try await get(client, "/v1/subjects/\(Self.company)/measures")
            #expect(r.status == 500)
            #expect(r.body["code"] as? String == "internal")
        }
        #expect(logs.entries.filter { $0.message.description == "internal error" }.count == 1)
        let request = try #require(logs.entries.first { $0.message.description == "request failed" })
        #expect("\(request.metadata["status"] ?? "")" == "500" && "\(request.metadata["path"] ?? "")" == "/v1/subjects/{id}/measures")
        #expect("\(request.metadata["caller"] ?? "")" == "officer-07")
        #expect(try CreditOperations.open(path: path).audit.entries(subject: Self.company, limit: 100).count == before)
    }
}

extension ServiceOnSQLiteTests {
    /// Looks up every code `rounds` times, all at once, and expects each answer to be its own
    /// subject's.
    func lookUpAtOnce(_ client: some TestClientProtocol, codes: [String], rounds: Int) async throws {
        try await withThrowingTaskGroup(of: (String, Int, String?).self) { group in
            for _ in 0..<rounds {
                for code in codes {
                    group.addTask {
                        let r = try await get(client, "/v1/subjects/\(code)/measures", token: Self.officer)
                        let json = try JSONSerialization.jsonObject(with: Data(r.body.utf8)) as? [String: Any]
                        return (code, r.status, json?["code"] as? String)
                    }
                }
            }
            for try await (code, status, answered) in group {
                #expect(status == 200 && answered == code, "\(code): \(status) \(answered ?? "-")")
            }
        }
    }

    /// Expects `rounds` audited look-ups of each code by the officer since the log held `before`
    /// of them, and the chain to verify.
    func expectOwnAuditEntries(codes: [String], rounds: Int, after before: Int) throws {
        let entries = try operations.audit.entries(subject: nil, limit: 100_000).filter { $0.action == "lookup" }
        #expect(entries.count - before == rounds * codes.count)
        for code in codes {
            #expect(entries.filter { $0.subject == code && $0.actor == "api:officer-07" }.count >= rounds, "\(code)")
        }
        #expect(try operations.verifyAudit().isIntact)
    }
}
