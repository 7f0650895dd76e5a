import CreditTestSupport
import Foundation
import GRDB
import Testing
@testable import CreditRegistry

@Suite struct AuditLogTests {
    let scratch: TemporaryDirectory
    init() throws { scratch = try TemporaryDirectory("audit") }

    func makeRegistry() throws -> Registry {
        let path = scratch.path("audit-\(UUID().uuidString).db")
        return try Registry(path: path)
    }

    @Test func chainVerifiesAndDetectsTampering() throws {
        let registry = try makeRegistry()
        let log = AuditLog(registry: registry)
        for i in 0..<5 { try log.append(actor: "officer:\(i)", action: "lookup", subject: "91350100M000100Y43", detail: "report") }
        #expect(try log.verify().isIntact)
        #expect(try log.verify().entries == 5)
        #expect(try log.entries(subject: "91350100M000100Y43").count == 5)

        // The triggers refuse edits through SQL…
        #expect(throws: DatabaseError.self) {
            try registry.write { db in try db.execute(sql: "UPDATE audit SET actor = 'x' WHERE id = 2") }
        }
        // …and an edit that bypasses them (triggers dropped) is detected.
        try registry.write { db in
            try db.execute(sql: "DROP TRIGGER audit_no_update")
            try db.execute(sql: "UPDATE audit SET detail = 'changed' WHERE id = 3")
        }
        let v = try log.verify()
        #expect(!v.isIntact)
        #expect(v.firstBrokenID == 3)
    }

    @Test func deletionBreaksTheLink() throws {
        let registry = try makeRegistry()
        let log = AuditLog(registry: registry)
        for i in 0..<4 { try log.append(actor: "a", action: "lookup", subject: nil, detail: "\(i)") }
        try registry.write { db in
            try db.execute(sql: "DROP TRIGGER audit_no_delete")
            try db.execute(sql: "DELETE FROM audit WHERE id = 2")
        }
        let v = try log.verify()
        #expect(v.firstBrokenID == 3)
    }
}
