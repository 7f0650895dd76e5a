import GRDB

/// Walks the audit log's entries and checkpoints once and lists every problem.
struct AuditVerifier {
    let log: AuditLog

    func run() throws -> AuditVerification {
        let lines = try log.files.map { try AuditCheckpointFile(path: $0.checkpoints).lines() } ?? []

        // The checkpoint file: parsable lines, signatures, numbering and links.
        var check = AuditCheckpointCheck(key: log.key)
        for (line, parsed, _) in lines { check.add(parsed, place: "line \(line)") }
        let wanted = check.wanted

        // The entries, then each checkpoint against them.
        var entries = AuditEntryCheck(key: log.key)
        var macs: [Int64: String] = [:]
        try log.writer.read { db in
            let cursor = try AuditLog.Entry.fetchCursor(db, sql: "SELECT id, at, actor, action, subject, detail, previous_mac, mac FROM audit ORDER BY id")
            while let e = try cursor.next() {
                entries.add(e)
                if wanted.contains(e.id) { macs[e.id] = e.mac }
            }
        }
        return entries.verification(checkpoints: check, macs: macs)
    }
}
