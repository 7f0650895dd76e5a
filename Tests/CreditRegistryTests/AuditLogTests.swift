import CreditTestSupport
import Crypto
import Foundation
import GRDB
import Testing
@testable import CreditRegistry

/// The audit log proves itself: `verify()` passes on an untouched log and names what is wrong
/// after each tampering an attacker with write access to the database (but not the key) can do.
@Suite struct AuditLogTests {
    let scratch: TemporaryDirectory
    let files: AuditFiles
    let log: AuditLog

    /// Ten entries (entry 4 with a NULL subject), checkpointed; the tests tamper with a raw
    /// connection to the audit database, triggers dropped, as an attacker would.
    init() throws {
        scratch = try TemporaryDirectory("audit")
        files = AuditFiles(beside: scratch.path("credit.db"))
        log = try AuditLog.open(files: files)
        for i in 1...10 {
            try log.append(actor: "officer:\(i % 3)", action: "lookup", subject: i == 4 ? nil : "91350100M000100Y43", detail: "report \(i)")
        }
        #expect(try log.checkpoint()?.count == 10)
    }

    func tamper(_ sql: String, arguments: StatementArguments = []) throws {
        let queue = try DatabaseQueue(path: files.database)
        try queue.write { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete")
            try db.execute(sql: sql, arguments: arguments)
        }
    }

    func kinds(_ v: AuditVerification) -> [AuditVerification.Problem.Kind] { v.problems.map(\.kind) }

    @Test func anUntouchedLogVerifies() throws {
        for i in 11...13 { try log.append(actor: "bank:1", action: "check", subject: nil, detail: "batch \(i)") }
        let v = try log.verify()
        #expect(v.isIntact, "\(v.problems)")
        #expect(v.entries == 13 && v.checkpoints == 1 && v.anchored == 10 && v.unanchored == 3)
        #expect(try log.checkpoint()?.number == 2)
        #expect(try log.checkpoint() == nil, "nothing new: no checkpoint")
        #expect(try log.verify().isIntact)
    }

    @Test func theTriggersRefuseEditsThroughSQL() throws {
        #expect(throws: DatabaseError.self) {
            try log.writer.write { db in try db.execute(sql: "UPDATE audit SET actor = 'x' WHERE id = 2") }
        }
        #expect(throws: DatabaseError.self) {
            try log.writer.write { db in try db.execute(sql: "DELETE FROM audit WHERE id = 10") }
        }
    }

    @Test func deletingTheLastRowsIsAMissingTail() throws {
        try tamper("DELETE FROM audit WHERE id > 8")
        let v = try log.verify()
        #expect(kinds(v) == [.missingTail])
        #expect(v.problems[0].checkpoint == 1)
        #expect(v.problems[0].message.contains("recorded 10 entries, the log ends at entry 8 (entries 9…10 are missing)"))
    }

    @Test func deleteFromAuditIsAMissingTail() throws {
        try tamper("DELETE FROM audit")
        let v = try log.verify()
        #expect(kinds(v) == [.missingTail])
        #expect(v.entries == 0)
        #expect(v.problems[0].message.contains("the log ends at entry 0"))
    }

    @Test func aDeletedMiddleEntryBreaksTheSequence() throws {
        try tamper("DELETE FROM audit WHERE id = 5")
        let v = try log.verify()
        #expect(v.firstBrokenID == 6)
        #expect(kinds(v).first == .entryOutOfSequence)
        #expect(v.problems[0].message.contains("entries 5…5 are missing"))
    }

    @Test func aSubjectChangedFromNullToEmptyIsAnAlteredEntry() throws {
        try tamper("UPDATE audit SET subject = '' WHERE id = 4")
        let v = try log.verify()
        #expect(kinds(v) == [.entryAltered])
        #expect(v.firstBrokenID == 4)
    }

    @Test func anEntryRewrittenWithItsChainRecomputedWithoutTheKeyIsDetected() throws {
        // The attacker edits entry 5 and recomputes every later link and digest as an unkeyed
        // chain would (SHA-256 of the same canonical encoding): without the key the MACs differ.
        try tamper("UPDATE audit SET detail = 'nothing to see' WHERE id = 5")
        let queue = try DatabaseQueue(path: files.database)
        try queue.write { db in
            var previous = try String.fetchOne(db, sql: "SELECT mac FROM audit WHERE id = 4") ?? ""
            for row in try Row.fetchAll(db, sql: "SELECT * FROM audit WHERE id >= 5 ORDER BY id") {
                var e = AuditEncoding(domain: AuditEncoding.entryDomain)
                e.append(row["id"] as Int64); e.append(row["at"] as String); e.append(row["actor"] as String)
                e.append(row["action"] as String); e.append(row["subject"] as String?); e.append(row["detail"] as String); e.append(previous)
                let digest = Digest.sha256Hex(e.bytes)
                try db.execute(sql: "UPDATE audit SET previous_mac = ?, mac = ? WHERE id = ?", arguments: [previous, digest, row["id"] as Int64])
                previous = digest
            }
        }
        let v = try log.verify()
        #expect(v.firstBrokenID == 5)
        #expect(v.problems.first?.kind == .entryAltered)
        #expect(kinds(v).contains(.headMismatch), "the checkpoint's head no longer matches entry 10")
    }

    @Test func reorderedEntriesAreDetected() throws {
        // Entries 3 and 6 swap places (their ids exchanged, content and MACs moved whole).
        try tamper("UPDATE audit SET id = -3 WHERE id = 3; UPDATE audit SET id = 3 WHERE id = 6; UPDATE audit SET id = 6 WHERE id = -3")
        let v = try log.verify()
        #expect(v.firstBrokenID == 3)
        #expect(kinds(v).allSatisfy { $0 == .entryAltered || $0 == .entryUnlinked })
    }

    @Test func aForgedCheckpointIsDetected() throws {
        // After deleting the tail, the attacker appends a checkpoint for the shorter log, signed
        // with a key of their own, to cover the deletion.
        try tamper("DELETE FROM audit WHERE id > 8")
        let head = try #require(try log.entries(limit: 1).last)
        let last = try #require(try AuditCheckpointFile(path: files.checkpoints).last())
        let forged = AuditCheckpoint.make(count: 8, head: head.mac, after: last, at: "2026-01-01T00:00:00Z", key: .ephemeral())
        try AuditCheckpointFile(path: files.checkpoints).append(forged)
        let v = try log.verify()
        #expect(kinds(v).contains(.badCheckpointSignature))
        #expect(v.problems.contains { $0.kind == .badCheckpointSignature && $0.checkpoint == 2 })
        #expect(kinds(v).contains(.missingTail), "the genuine checkpoint still counts 10")
        try log.append(actor: "a", action: "lookup", subject: nil, detail: "later")
        #expect(throws: AuditError.unsignedCheckpoint(number: 2)) { try log.checkpoint() }
    }

    @Test func anEditedOrRemovedCheckpointIsDetected() throws {
        try log.append(actor: "a", action: "lookup", subject: nil, detail: "11")
        try log.checkpoint()
        let lines = try String(contentsOfFile: files.checkpoints, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        // Lowering the count of checkpoint 1 breaks its signature.
        try (lines[0].replacingOccurrences(of: " 10 ", with: " 8 ") + "\n" + lines[1] + "\n").write(toFile: files.checkpoints, atomically: true, encoding: .utf8)
        #expect(try log.verify().problems.map(\.kind) == [.badCheckpointSignature])
        // Removing checkpoint 1 leaves checkpoint 2 without its predecessor.
        try (lines[1] + "\n").write(toFile: files.checkpoints, atomically: true, encoding: .utf8)
        #expect(try log.verify().problems.map(\.kind) == [.checkpointOutOfSequence])
    }

    @Test func noCheckpointIsSignedOverATruncatedLog() throws {
        try tamper("DELETE FROM audit WHERE id > 8")
        for i in 1...3 { try log.append(actor: "a", action: "lookup", subject: nil, detail: "after the deletion \(i)") }
        #expect(throws: AuditError.doesNotExtendCheckpoint(number: 1)) { try log.checkpoint() }
        #expect(try log.verify().problems.map(\.kind).contains(.headMismatch))
    }

    @Test func theKeyFileIsTheOwnersAndAnExposedOneIsRefused() throws {
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: files.key)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: files.key)
        #expect(throws: AuditError.keyExposed(path: files.key, mode: 0o644)) { try AuditLog.open(files: files) }
    }

    @Test func aMissingKeyIsRefusedOnceTheLogHasEntries() throws {
        try FileManager.default.removeItem(atPath: files.key)
        #expect(throws: AuditError.keyMissing(path: files.key)) { try AuditLog.open(files: files) }
    }

    @Test func anotherKeyFailsEveryEntryAndCheckpoint() throws {
        let other = AuditFiles(database: files.database, key: scratch.path("other.key"), checkpoints: files.checkpoints)
        try AuditKey.create(path: other.key)
        let v = try AuditLog.open(files: other).verify()
        #expect(v.firstBrokenID == 1)
        #expect(kinds(v).contains(.badCheckpointSignature))
    }

    @Test func theEncodingTellsNullFromEmptyAndKeepsFieldBoundaries() {
        let key = AuditKey.ephemeral()
        func mac(_ actor: String, _ action: String, _ subject: String?) -> String {
            AuditEncoding.entryMAC(id: 1, at: "t", actor: actor, action: action, subject: subject, detail: "", previous: AuditEncoding.genesis, key: key)
        }
        #expect(mac("a", "b", nil) != mac("a", "b", ""))
        #expect(mac("ab", "c", nil) != mac("a", "bc", nil))
        #expect(mac("a", "b", nil) == mac("a", "b", nil))
    }

    /// Entries' MACs continue a copy of the keyed HMAC kept with the key: each equals HMAC-SHA256
    /// computed afresh under the key over the entry's encoding, and computing one leaves the
    /// kept state as it was (the next MAC is not chained onto the previous message).
    @Test func anEntrysMACIsTheHMACOfItsEncodingUnderTheKey() {
        let key = AuditKey.ephemeral()
        let entries: [(actor: String, subject: String?, detail: String)] = [
            ("api:officer-07", "91350200MA2XH1K70Y", "officer measures as-of 2026-12-01"), ("api:bank-01", nil, ""),
            ("cli:审计员", "350102198001011234", String(repeating: "长", count: 300)),
        ]
        for (i, e) in entries.enumerated() {
            for _ in 0..<2 {
                var encoding = AuditEncoding(domain: AuditEncoding.entryDomain)
                encoding.append(Int64(i + 1)); encoding.append("2026-12-01T00:00:00.000Z"); encoding.append(e.actor)
                encoding.append("lookup"); encoding.append(e.subject); encoding.append(e.detail); encoding.append(AuditEncoding.genesis)
                let fresh = CreditRegistry.Digest.hex(HMAC<SHA256>.authenticationCode(for: encoding.bytes, using: key.key))
                #expect(AuditEncoding.entryMAC(id: Int64(i + 1), at: "2026-12-01T00:00:00.000Z", actor: e.actor, action: "lookup",
                                               subject: e.subject, detail: e.detail, previous: AuditEncoding.genesis, key: key) == fresh)
            }
        }
    }

    @Test func entriesOfTheRegistrysFormerAuditTableAreMovedOnce() throws {
        let path = scratch.path("legacy.db")
        let registry = try Registry(path: path)
        // The former table, as the registry kept it: an unkeyed SHA-256 chain, a NULL subject as ''.
        try registry.write { db in
            var previous = AuditEncoding.genesis
            for (i, subject) in [("1", "91350100M000100Y43"), ("2", nil), ("3", "91350100M000100Y43")] as [(String, String?)] {
                var bytes: [UInt8] = []
                for part in [previous, "2025-01-0\(i)T00:00:00Z", "cli:alice", "lookup", subject ?? "", "report \(i)"] {
                    bytes.append(contentsOf: part.utf8); bytes.append(0x1F)
                }
                let hash = Digest.sha256Hex(bytes)
                try db.execute(sql: "INSERT INTO audit (at, actor, action, subject, detail, previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
                               arguments: ["2025-01-0\(i)T00:00:00Z", "cli:alice", "lookup", subject, "report \(i)", previous, hash])
                previous = hash
            }
        }
        let moved = try AuditLog.open(files: AuditFiles(beside: path))
        try LegacyAuditImport.run(from: registry, into: moved, pageSize: 2)   // two pages
        let entries = try moved.entries()
        #expect(entries.map(\.detail).prefix(3) == ["report 1", "report 2", "report 3"])
        #expect(entries[1].subject == nil && entries[0].at == "2025-01-01T00:00:00Z")
        #expect(entries.last?.action == "audit.import")
        #expect(entries.last?.detail.contains("moved 3 entries from the registry database; former chain intact") == true)
        #expect(try registry.read { db in try db.tableExists("audit") } == false)
        let again = try AuditLog.open(beside: registry)
        #expect(try again.count() == 4)
        let v = try again.verify()
        #expect(v.isIntact && v.anchored == 4, "\(v.problems)")
    }

    @Test func entriesBySubjectComeFromTheCheckpointsRunsAndTheEntriesAfterThem() throws {
        let company = "91350100M000100Y43", other = "91350200MA2XH1K70Y"
        for i in 11...14 { try log.append(actor: "officer:1", action: "lookup", subject: i % 2 == 0 ? other : company, detail: "report \(i)") }
        // Not in a run yet: found among the entries after the last one.
        #expect(try log.entries(subject: other).map(\.detail) == ["report 12", "report 14"])
        #expect(try log.checkpoint()?.count == 14)
        for i in 15...16 { try log.append(actor: "officer:1", action: "lookup", subject: other, detail: "report \(i)") }
        #expect(try log.entries(subject: other).map(\.detail) == ["report 12", "report 14", "report 15", "report 16"])
        #expect(try log.entries(subject: other, limit: 3).map(\.detail) == ["report 14", "report 15", "report 16"])
        #expect(try log.entries(subject: company).map(\.id) == [1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 13])
        #expect(try log.entries(subject: "nobody").isEmpty)
        #expect(try log.entries(limit: 2).map(\.id) == [15, 16])
        // One run per checkpoint; appending writes no index of its own on the table.
        let runs = try log.writer.read { db in try Int64.fetchAll(db, sql: "SELECT DISTINCT run FROM audit_subject_run ORDER BY run") }
        #expect(runs == [10, 14])
        #expect(try log.writer.read { db in try db.indexes(on: "audit") }.isEmpty)
        #expect(try log.verify().isIntact)
    }

    @Test func aLogOfTheFirstSchemaIsIndexedBySubjectWhenMigrated() throws {
        let queue = try DatabaseQueue(path: scratch.path("v1.audit.db"))
        try AuditSchema.migrator.migrate(queue, upTo: "v1-audit")
        try queue.write { db in
            for (id, subject) in [(1, "A"), (2, nil), (3, "A"), (4, "B")] as [(Int64, String?)] {
                try db.execute(sql: "INSERT INTO audit (id, at, actor, action, subject, detail, previous_mac, mac) VALUES (?, 't', 'a', 'lookup', ?, '', '', '')",
                               arguments: [id, subject])
            }
        }
        try AuditSchema.migrator.migrate(queue)
        let migrated = try AuditLog(writer: queue, files: nil, key: .ephemeral(), policy: .init())
        #expect(try migrated.entries(subject: "A").map(\.id) == [1, 3])
        #expect(try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_subject_run WHERE run = 4") } == 3)
    }
}
