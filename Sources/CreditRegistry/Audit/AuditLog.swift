import Foundation
import GRDB

/// The append-only, tamper-evident audit log, in a SQLite file of its own beside the registry
/// (``AuditFiles``), so that writing an entry never waits for a registry writer (a feed ingest or
/// a rule activation holding the registry's write lock for minutes).
///
/// Each entry carries an HMAC-SHA256, under a key kept outside the database (``AuditKey``), of
/// the canonical encoding of its id, time, actor, action, subject, detail and the MAC of the
/// entry before it. Signed checkpoints (``AuditCheckpoint``) of the entry count and the head MAC
/// are appended to a file outside the database every ``CheckpointPolicy/everyEntries`` entries
/// or ``CheckpointPolicy/everySeconds`` seconds and when the process closes the log
/// (``checkpoint()``), which also adds the entries since the last one to the subject index
/// (``AuditSubjectIndex``). ``verify()`` checks the chain and every checkpoint.
///
/// ```swift
/// let log = try AuditLog.open(files: AuditFiles(beside: "credit.db"))
/// try log.append([.init(actor: "officer:tax-01", action: "lookup", subject: code, detail: "report")])
/// try log.checkpoint()
/// let v = try log.verify()   // v.isIntact, v.problems
/// ```
public struct AuditLog: Sendable {
    /// The audit database (a pool on a file, a queue in memory).
    public let writer: any DatabaseWriter
    /// The files of the log; nil for a log in memory (no checkpoints).
    public let files: AuditFiles?
    let key: AuditKey
    public let policy: CheckpointPolicy
    private let pace: LockedBox<Pace>

    /// When checkpoints are written besides on ``checkpoint()``: after this many entries or this
    /// many seconds since the last one, whichever comes first (checked as entries are appended).
    public struct CheckpointPolicy: Sendable, Hashable {
        public var everyEntries: Int
        public var everySeconds: Double
        public init(everyEntries: Int = 10_000, everySeconds: Double = 60) {
            self.everyEntries = everyEntries; self.everySeconds = everySeconds
        }
    }

    private struct Pace: Sendable {
        var sinceCheckpoint = 0
        var lastCheckpoint = Date()
    }

    /// One entry of the log.
    public struct Entry: Sendable, Codable, Hashable, FetchableRecord {
        /// Columns are snake_case (`previous_mac`); JSON output keeps the property names.
        public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
        public var id: Int64
        public var at: String
        public var actor: String
        public var action: String
        public var subject: String?
        public var detail: String
        public var previousMac: String
        public var mac: String
    }

    /// An entry to be written (actor, action, subject, detail).
    public struct Pending: Sendable, Hashable {
        public var actor: String
        public var action: String
        public var subject: String?
        public var detail: String
        public init(actor: String, action: String, subject: String?, detail: String) {
            self.actor = actor; self.action = action; self.subject = subject; self.detail = detail
        }
    }

    init(writer: any DatabaseWriter, files: AuditFiles?, key: AuditKey, policy: CheckpointPolicy) throws {
        try AuditSchema.migrator.migrate(writer)
        self.writer = writer
        self.files = files
        self.key = key
        self.policy = policy
        pace = LockedBox(Pace())
    }

    /// Opens (creating if needed) the log in `files`. The key file is created on first use only:
    /// when the log already has entries or checkpoints, a missing key is an error.
    public static func open(files: AuditFiles, busyTimeout: TimeInterval = 10, policy: CheckpointPolicy = .init()) throws -> AuditLog {
        SQLiteProcess.configure()
        var config = Configuration()
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        config.busyMode = .timeout(busyTimeout)
        let pool = try DatabasePool(path: files.database, configuration: config)
        try AuditSchema.migrator.migrate(pool)
        let fresh = try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit") ?? 0 } == 0
            && (try AuditCheckpointFile(path: files.checkpoints).last()) == nil
        let key = try AuditKey.load(path: files.key, create: fresh)
        return try AuditLog(writer: pool, files: files, key: key, policy: policy)
    }

    /// The log of `registry`: in the files beside its database, or in memory (with a key that
    /// lives as long as the process) when the registry is in memory. Entries of the registry's
    /// former `audit` table are moved into it once (``LegacyAuditImport``).
    public static func open(beside registry: Registry, key: String? = nil, busyTimeout: TimeInterval = 10,
                            policy: CheckpointPolicy = .init()) throws -> AuditLog {
        let path = registry.writer.path
        let log: AuditLog
        if path.isEmpty || path == ":memory:" || path.hasPrefix("file:") {
            log = try AuditLog(writer: DatabaseQueue(), files: nil, key: .ephemeral(), policy: policy)
        } else {
            log = try open(files: AuditFiles(beside: path, key: key), busyTimeout: busyTimeout, policy: policy)
        }
        try LegacyAuditImport.run(from: registry, into: log)
        return log
    }

    // MARK: - Writing

    /// Appends `entries`, in order, in one transaction of the audit database. The caller then
    /// calls ``checkpointIfDue()`` (a failed checkpoint must not undo the entries).
    public func append(_ entries: [Pending]) throws {
        guard !entries.isEmpty else { return }
        let at = AuditTimestamp.string()
        // BEGIN IMMEDIATE and COMMIT kept prepared: this runs for every batch of look-ups.
        _ = try writer.writeWithoutTransaction { db in
            try db.inPreparedTransaction(.immediate) { try insert(entries.map { ($0, at) }, in: db) }
        }
        pace.withValue { $0.sinceCheckpoint += entries.count }
    }

    /// Writes a checkpoint when the policy says one is due: ``CheckpointPolicy/everyEntries``
    /// entries or ``CheckpointPolicy/everySeconds`` seconds since this process's last one, and at
    /// least one entry since.
    @discardableResult
    public func checkpointIfDue() throws -> AuditCheckpoint? {
        let due = pace.withValue { p in
            p.sinceCheckpoint > 0
                && (p.sinceCheckpoint >= policy.everyEntries || Date().timeIntervalSince(p.lastCheckpoint) >= policy.everySeconds)
        }
        return due ? try checkpoint() : nil
    }

    /// Appends one entry and returns it as stored.
    @discardableResult
    public func append(actor: String, action: String, subject: String? = nil, detail: String = "") throws -> Entry {
        let at = AuditTimestamp.string()
        let pending = Pending(actor: actor, action: action, subject: subject, detail: detail)
        let entry = try writer.write { db in try insert([(pending, at)], in: db) }
        pace.withValue { $0.sinceCheckpoint += 1 }
        return entry
    }

    /// Continues the chain with `entries` (each with its time) inside a write transaction;
    /// returns the last entry written.
    @discardableResult
    func insert(_ entries: [(Pending, at: String)], in db: Database) throws -> Entry {
        let head = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, mac FROM audit ORDER BY id DESC LIMIT 1"))
        var id: Int64 = head?["id"] ?? 0
        var previous: String = head?["mac"] ?? AuditEncoding.genesis
        let statement = try db.cachedStatement(sql: """
            INSERT INTO audit (id, at, actor, action, subject, detail, previous_mac, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        var last: Entry?
        for (i, (e, at)) in entries.enumerated() {
            id += 1
            let mac = AuditEncoding.entryMAC(id: id, at: at, actor: e.actor, action: e.action, subject: e.subject, detail: e.detail,
                                             previous: previous, key: key)
            // Bound in place (no `StatementArguments` per entry): this runs for every look-up.
            statement.bind(1, id); statement.bind(2, at); statement.bind(3, e.actor); statement.bind(4, e.action)
            statement.bind(5, e.subject); statement.bind(6, e.detail); statement.bind(7, previous); statement.bind(8, mac)
            try statement.run(db)
            if i == entries.count - 1 {
                last = Entry(id: id, at: at, actor: e.actor, action: e.action, subject: e.subject, detail: e.detail, previousMac: previous, mac: mac)
            }
            previous = mac
        }
        guard let last else { preconditionFailure("insert is called with at least one entry") }
        return last
    }

    /// Appends a signed checkpoint of the current count and head to the checkpoint file, unless
    /// the last checkpoint already vouches for them. Holds the audit database's write lock
    /// meanwhile, so that checkpoints of several processes stay in order. Returns the checkpoint
    /// written, nil when none was needed (or the log is in memory).
    @discardableResult
    public func checkpoint() throws -> AuditCheckpoint? {
        guard let files else { return nil }
        let file = AuditCheckpointFile(path: files.checkpoints)
        let key = self.key
        let made = try writer.writeWithoutTransaction { db -> AuditCheckpoint? in
            var result: AuditCheckpoint?
            try db.inTransaction(.immediate) {
                try AuditSubjectIndex.extend(in: db)
                // Inside the transaction: the head cannot move until the line is written.
                let head = try Row.fetchOne(db, sql: "SELECT id, mac FROM audit ORDER BY id DESC LIMIT 1")
                let count: Int64 = head?["id"] ?? 0
                let mac: String = head?["mac"] ?? AuditEncoding.genesis
                let last = try file.last()
                if let last, last.count == count, last.head == mac { return .commit }
                // Never chain onto a checkpoint the key did not sign, nor sign a log that does not
                // extend the last checkpoint: that would bless a forgery, a truncation or a rewrite.
                if let last, !last.isSigned(by: key) { throw AuditError.unsignedCheckpoint(number: last.number) }
                if let last, last.count > 0 {
                    let then = try String.fetchOne(db, sql: "SELECT mac FROM audit WHERE id = ?", arguments: [last.count])
                    guard count >= last.count, then == last.head else { throw AuditError.doesNotExtendCheckpoint(number: last.number) }
                }
                let c = AuditCheckpoint.make(count: count, head: mac, after: last, at: AuditTimestamp.string(), key: key)
                try file.append(c)
                result = c
                return .commit
            }
            return result
        }
        pace.withValue { $0 = Pace() }
        return made
    }

    /// ``checkpoint()`` when this process appended entries since its last checkpoint (on shutdown).
    @discardableResult
    public func checkpointIfAppended() throws -> AuditCheckpoint? {
        pace.value.sinceCheckpoint > 0 ? try checkpoint() : nil
    }

    // MARK: - Reading

    /// Entries, newest last, optionally for one subject.
    public func entries(subject: String? = nil, limit: Int = 100) throws -> [Entry] {
        try writer.read { db in
            if let subject { return try AuditSubjectIndex.entries(subject: subject, limit: limit, in: db) }
            return try Entry.fetchAll(db, sql: "SELECT * FROM (SELECT * FROM audit ORDER BY id DESC LIMIT ?) ORDER BY id", arguments: [limit])
        }
    }

    /// How many entries the log holds.
    public func count() throws -> Int {
        try writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit") ?? 0 }
    }

    /// Checks every entry's MAC and link and every checkpoint's signature, link and agreement
    /// with the entries (see ``AuditVerification``).
    public func verify() throws -> AuditVerification {
        try AuditVerifier(log: self).run()
    }
}
