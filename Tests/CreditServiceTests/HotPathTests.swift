import CreditOperations
import CreditRegistry
import Foundation
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

extension ServiceTests {
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
