import GRDB

/// Walks the audit log's entries and checkpoints once and lists every problem.
struct AuditVerifier {
    let log: AuditLog
    /// Entry problems reported before the rest are summarised (a rewritten log breaks every entry after the first).
    static let entryProblemLimit = 10

    func run() throws -> AuditVerification {
        let key = log.key
        let lines = try log.files.map { try AuditCheckpointFile(path: $0.checkpoints).lines() } ?? []
        var problems: [AuditVerification.Problem] = []
        func problem(_ kind: AuditVerification.Problem.Kind, entry: Int64? = nil, checkpoint: Int64? = nil, _ message: String) {
            problems.append(.init(kind: kind, entry: entry, checkpoint: checkpoint, message: message))
        }

        // The checkpoint file: parsable lines, signatures, numbering and links.
        var check = AuditCheckpointCheck(key: key)
        for (line, parsed, _) in lines { check.add(parsed, place: "line \(line)") }
        problems = check.problems
        let wanted = check.wanted

        // The entries: ids 1, 2, 3…, each MAC over its content and the MAC before it.
        var count = 0
        var entryProblems = 0
        var lastID: Int64 = 0
        var macs: [Int64: String] = [:]
        try log.writer.read { db in
            let cursor = try Row.fetchCursor(db, sql: "SELECT id, at, actor, action, subject, detail, previous_mac, mac FROM audit ORDER BY id")
            var previous = AuditEncoding.genesis
            while let row = try cursor.next() {
                count += 1
                let id: Int64 = row[0]
                let previousMac: String = row[6], mac: String = row[7]
                func report(_ kind: AuditVerification.Problem.Kind, _ message: String) {
                    entryProblems += 1
                    if entryProblems <= Self.entryProblemLimit { problem(kind, entry: id, message) }
                }
                if id != lastID + 1 {
                    report(.entryOutOfSequence, id > lastID + 1
                           ? "entry \(id) follows entry \(lastID): entries \(lastID + 1)…\(id - 1) are missing"
                           : "entry \(id) follows entry \(lastID): ids out of sequence")
                }
                let expect = AuditEncoding.entryMAC(id: id, at: row[1], actor: row[2], action: row[3], subject: row[4], detail: row[5],
                                                    previous: previousMac, key: key)
                if !AuditEncoding.same(expect, mac) {
                    report(.entryAltered, "entry \(id): its MAC does not match its content (altered, or written without the key)")
                } else if !AuditEncoding.same(previousMac, previous) {
                    report(.entryUnlinked, "entry \(id) does not link to the entry before it (an entry was deleted, reordered or replaced)")
                }
                if wanted.contains(id) { macs[id] = mac }
                previous = mac
                lastID = id
            }
        }
        if entryProblems > Self.entryProblemLimit {
            problem(.entryAltered, "… and \(entryProblems - Self.entryProblemLimit) more entry problems")
        }

        // Each checkpoint against the entries.
        let (tail, anchored) = check.against(lastID: lastID, macs: macs)
        problems += tail
        if lastID != Int64(count) && problems.isEmpty {
            problem(.entryOutOfSequence, "the log holds \(count) entries but its last id is \(lastID)")
        }
        return AuditVerification(entries: count, checkpoints: check.checkpoints.count, anchored: anchored, problems: problems)
    }
}
