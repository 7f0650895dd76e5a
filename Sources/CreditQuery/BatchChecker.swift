import CreditRegistry
import Decisions
import Foundation
import GRDB

/// The bank batch check: one verdict per input row, in input order, streaming.
///
/// Input: CSV (or tab/semicolon separated) read by ``CSVRecordReader``: UTF-8 with or without
/// BOM, GB18030/GBK (detected), UTF-16 with BOM; quoted fields may hold line breaks; lines end in
/// LF, CRLF or CR; an invalid byte refuses the file with its line and column, an empty file is
/// refused. With a header naming the code and name columns (`code`, `credit_code`, `uscc`,
/// `统一社会信用代码`, `代码`; `name`, `名称`, `企业名称`, … or ``Options/codeColumn`` /
/// ``Options/nameColumn``), other columns passed through; or one code per line without a header.
/// A verdict's `row` is the line its record starts on.
///
/// CSV output neutralises cells a spreadsheet would run as formulas (see ``BatchOutput``).
///
/// Output: CSV (`row`, the passed-through columns, then ``BatchVerdict`` columns) or JSON Lines
/// (one ``BatchVerdict`` per line). Resident IDs are masked and natural persons' registered
/// names shortened to the surname: banks see what they need to decide, no more.
///
/// A row is *flagged* when its code is invalid or unknown, the row is malformed, the name is
/// different, the subject is on a list or under a punishment, or its status is not active.
///
/// ```swift
/// let checker = BatchChecker(registry: registry)
/// let (csv, summary) = try checker.run(input: Array("code,name\n91350100M000100Y43,福州某某科技有限公司\n".utf8),
///                                      options: .init(format: .csv))
/// summary.found   // 1
/// ```
///
/// Throughput: the calling thread reads, transcodes and parses records (fields split, codes
/// validated: ``ParsedRow``) into batches; one or two workers (each on its own read transaction,
/// all on one snapshot of the registry, statements prepared once) look the rows up and turn
/// batches into verdicts; the finished batches are written in input order, one `write` per
/// batch, so the output is the same byte for byte whatever the number of workers.
public struct BatchChecker: Sendable {
    public enum Format: String, Sendable, Hashable, Codable, CaseIterable { case csv, json }

    /// What a verdict shows of a natural person.
    public enum PersonView: String, Sendable, Hashable, Codable {
        /// The masked ID, the surname, the name comparison and every measure.
        case full
        /// For financial institutions: the masked ID, public lists and financial measures only;
        /// no name, no name comparison.
        case financial
    }

    public struct Options: Sendable, Hashable {
        public var format: Format
        /// The day measures and lists are judged on; nil means today (UTC+8).
        public var asOf: Day?
        /// Header name (or 1-based column number) of the code column.
        public var codeColumn: String?
        /// Header name (or 1-based column number) of the name column.
        public var nameColumn: String?
        /// Look-up workers beside the reading thread; nil chooses 2 on a machine with two cores
        /// or more (``automaticWorkers``), else 1. Each worker reads on its own connection, all
        /// of them on one snapshot (``BatchSnapshot``); the verdicts are written in input order
        /// whatever the count.
        public var threads: Int?
        /// Rows per batch handed to a worker.
        public var batchRows: Int
        /// Load the codes with list entries or decisions up front; nil decides by input size
        /// (``BatchChecker/prefetchFromBytes``).
        public var prefetch: Bool?
        /// What the verdicts show of natural persons (the use-case layer sets it from the role).
        public var persons: PersonView = .full
        public init(format: Format = .csv, asOf: Day? = nil, codeColumn: String? = nil, nameColumn: String? = nil,
                    threads: Int? = nil, batchRows: Int = 2048, prefetch: Bool? = nil) {
            self.format = format; self.asOf = asOf; self.codeColumn = codeColumn; self.nameColumn = nameColumn
            self.threads = threads.map { max(1, $0) }; self.batchRows = max(1, batchRows); self.prefetch = prefetch
        }
    }

    /// Totals of a run, for the summary line.
    public struct Summary: Sendable, Hashable, Codable {
        public var rows = 0, valid = 0, found = 0, flagged = 0
        /// Rows with a malformed line, missing columns or a blank code.
        public var errors = 0
        public var seconds = 0.0
        /// `UTF-8` or `GB18030` (`undecided` for pure ASCII input).
        public var encoding = "UTF-8"
        public var asOf: Day
        /// CPU seconds of the reading thread, then of each worker (not encoded: a figure for
        /// benchmarks, whose longest thread bounds the run on an idle machine).
        public var threadSeconds: [Double] = []

        enum CodingKeys: String, CodingKey { case rows, valid, found, flagged, errors, seconds, encoding, asOf }
    }

    /// How far the run is: input bytes consumed and rows handed out.
    public struct Progress: Sendable {
        public var bytesRead: Int
        public var rows: Int
    }

    public let registry: Registry
    public let codeCheck: CodeCheck
    public let decisions: any DecisionProvider
    /// Where the workers read when the registry lives in another store: each batch's subjects
    /// are loaded into a worker's in-memory registry, then judged by the same code (decisions
    /// from the materialised table).
    public var slices: (any RegistrySlicing)?

    public init(registry: Registry, codeCheck: CodeCheck = .builtIn, decisions: any DecisionProvider = TableDecisionProvider()) {
        self.registry = registry; self.codeCheck = codeCheck; self.decisions = decisions
    }

    /// Checks the file open on `input` (a file or a pipe) and writes verdicts to `output`.
    public func run(input: Int32, output: Int32, options: Options = .init(),
                    progress: (@Sendable (Progress) -> Void)? = nil) throws -> Summary {
        try run(read: { buffer in
            while true {
                let n = Foundation.read(input, buffer.baseAddress, buffer.count)
                if n >= 0 { return n }
                if errno != EINTR { throw BatchError(message: "cannot read the input: \(String(cString: strerror(errno)))") }
            }
        }, sink: DescriptorSink(fd: output), options: options, sizeHint: Self.fileSize(input), progress: progress)
    }

    /// Checks an in-memory file and returns the output bytes.
    public func run(input: [UInt8], options: Options = .init()) throws -> (output: [UInt8], summary: Summary) {
        var offset = 0
        let sink = MemorySink()
        let summary = try run(read: { buffer in
            let n = min(buffer.count, input.count - offset)
            input.withUnsafeBytes { src in
                if n > 0, let base = src.baseAddress { buffer.baseAddress?.copyMemory(from: base + offset, byteCount: n) }
            }
            offset += n
            return n
        }, sink: sink, options: options, sizeHint: input.count, progress: nil)
        return (sink.bytes, summary)
    }

    // MARK: - Pipeline

    struct Batch: Sendable {
        var seq: Int
        var firstLine: Int
        var rows: [ParsedRow] = []
    }

    /// Workers when the options leave it open: two on two cores or more. Measured on two cores
    /// against a 10 M-subject registry (6 GiB, beyond SQLite's 2 GiB memory map, so each
    /// connection keeps a page cache of its own): two workers use the same CPU time as one and
    /// take about half the wall time.
    public static var automaticWorkers: Int { ProcessInfo.processInfo.activeProcessorCount >= 2 ? 2 : 1 }

    /// Files from this size on load the codes with list entries or decisions first (a few hundred
    /// milliseconds on a large registry) instead of probing two more tables on every row.
    public static let prefetchFromBytes = 8 << 20

    static func fileSize(_ fd: Int32) -> Int? {
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(st.st_size)
    }

    func run(read: (UnsafeMutableRawBufferPointer) throws -> Int, sink: any BatchSink, options: Options, sizeHint: Int?,
             progress: (@Sendable (Progress) -> Void)?) throws -> Summary {
        let started = Date()
        let startedCPU = ThreadClock.cpuSeconds()
        let asOf = options.asOf ?? Day.today()
        var layout: BatchLayout?
        var records = 0
        var batch = Batch(seq: 0, firstLine: 1)
        let mapping = slices == nil ? try registry.read { db in try MemoryMap.plan(db) } : MemoryMap.none
        let workers = options.threads ?? Self.automaticWorkers
        let pipeline = BatchPipeline(sink: sink, maxInFlight: workers * 4)
        let group = DispatchGroup()

        func startWorkers(_ layout: BatchLayout) throws {
            let prefetch = options.prefetch ?? ((sizeHint ?? 0) >= Self.prefetchFromBytes)
            if let slices {
                return try startSliceWorkers(slices, count: workers, layout: layout, asOf: asOf, options: options, prefetch: prefetch,
                                             pipeline: pipeline, group: group)
            }
            let (registry, codeCheck, decisions) = (self.registry, self.codeCheck, self.decisions)
            let withDecisions = decisions is TableDecisionProvider
            let pool = registry.writer as? DatabasePool
            let snapshot = BatchSnapshot(participants: workers)
            for index in 0..<workers {
                group.enter()
                let thread = Thread {
                    defer { group.leave() }
                    /// One read transaction of the worker; false when the gate sends it to begin again.
                    func session(_ db: Database, round: Int?) throws -> Bool {
                        try mapping.apply(db)
                        defer { mapping.restore(db) }
                        if let round {
                            _ = try Int.fetchOne(db, sql: "SELECT 1 FROM subject LIMIT 1")   // the snapshot begins here
                            switch snapshot.arrive(round: round) {
                            case .same: break
                            case .again: return false
                            case .alone: if index > 0 { return true }
                            }
                        }
                        let known: KnownCodes?
                        if index == 0 {
                            known = prefetch ? try KnownCodes(db: db, withDecisions: withDecisions) : nil
                            snapshot.publish(known)
                        } else {
                            guard let shared = snapshot.awaitShared() else { return true }
                            known = shared
                        }
                        let processor = try BatchRowProcessor(db: db, layout: layout, codeCheck: codeCheck, provider: decisions,
                                                              asOf: asOf, format: options.format, known: known,
                                                              persons: options.persons)
                        while let b = pipeline.pop() {
                            var out = BatchOutput(capacity: b.rows.count * 256 + 256)
                            var tally = BatchRowProcessor.Tally()
                            for row in b.rows { try processor.process(row, into: &out, tally: &tally) }
                            pipeline.complete(seq: b.seq, bytes: out.bytes, tally: tally)
                        }
                        return true
                    }
                    do {
                        var finished = false
                        while !finished {
                            if let pool {
                                // The transaction begins only once the gate has read the state it compares
                                // against; the worker waits for that before it takes a connection.
                                guard let round = snapshot.enter() else { break }
                                finished = try pool.unsafeRead { db in
                                    var done = true
                                    try db.inTransaction(.deferred) {
                                        done = try session(db, round: round)
                                        return .commit
                                    }
                                    return done
                                }
                            } else {
                                finished = try registry.writer.read { db in try session(db, round: nil) }
                            }
                        }
                    } catch {
                        snapshot.fail()
                        pipeline.fail(error)
                    }
                    pipeline.finished(index: index, cpu: ThreadClock.cpuSeconds())
                }
                thread.stackSize = 1 << 20
                thread.start()
            }
            if let pool {
                do { try snapshot.coordinate(pool) } catch { snapshot.fail(); throw error }
            }
        }

        func handle(_ record: UnsafeBufferPointer<UInt8>, line: Int, delimiter: UInt8) throws {
            records += 1
            if layout == nil {
                let l = try BatchLayout.detect(firstLine: record, delimiter: delimiter, codeColumn: options.codeColumn,
                                               nameColumn: options.nameColumn, codeCheck: codeCheck)
                layout = l
                if options.format == .csv {
                    var out = BatchOutput(capacity: 256)
                    out.csvRow(["row"] + l.passthrough.map(\.name) + BatchVerdict.csvColumns)
                    try sink.write(out.bytes)
                }
                try startWorkers(l)
                if l.hasHeader { return }
            }
            batch.rows.append(ParsedRow.parse(record, number: line, layout: layout!, codeCheck: codeCheck))
            if batch.rows.count >= options.batchRows {
                try pipeline.push(batch)
                batch = Batch(seq: batch.seq + 1, firstLine: line + 1)
                batch.rows.reserveCapacity(options.batchRows)
                progress?(Progress(bytesRead: bytesRead, rows: records))
            }
        }

        var bytesRead = 0
        var encoding: TextEncoding?
        do {
            try withoutActuallyEscaping(read) { read in
                let reader = CSVRecordReader(source: read)
                defer { bytesRead = reader.bytesRead; encoding = reader.encoding }
                try reader.forEachRawRecord { record, line in
                    bytesRead = reader.bytesRead
                    try handle(record, line: line, delimiter: reader.delimiter ?? 0x2C)
                }
            }
            if layout == nil {
                throw BatchError(message: bytesRead == 0 ? "the file is empty (0 bytes): no header and no rows"
                                                         : "the file has no rows: \(bytesRead) bytes without a single record")
            }
            if !batch.rows.isEmpty { try pipeline.push(batch) }
        } catch {
            let failure = (error as? CSVReadError).map { BatchError(message: $0.description) } ?? error
            pipeline.fail(failure)
            pipeline.close()
            group.wait()
            throw failure
        }
        pipeline.close()
        group.wait()
        if let failure = pipeline.failure { throw failure }
        progress?(Progress(bytesRead: bytesRead, rows: records))
        let t = pipeline.tally
        return Summary(rows: t.rows, valid: t.valid, found: t.found, flagged: t.flagged, errors: t.errors,
                       seconds: Date().timeIntervalSince(started),
                       encoding: (encoding ?? .utf8).rawValue, asOf: asOf,
                       threadSeconds: [ThreadClock.cpuSeconds() - startedCPU] + pipeline.workerSeconds)
    }
}

/// The memory map of the batch workers' connections: the whole file when SQLite allows it, so
/// that the workers read the registry's pages from one shared mapping instead of copying them
/// into a page cache each.
struct MemoryMap: Sendable {
    var fileBytes: Int
    /// What the workers ask for (the file and room to grow), capped by the library.
    var size: Int
    /// The size the connections had, restored when a worker ends.
    var previous: Int

    /// No change to the connections (workers on slices).
    static let none = MemoryMap(fileBytes: 0, size: 0, previous: 0)

    static func plan(_ db: Database) throws -> MemoryMap {
        let bytes = try Int.fetchOne(db, sql: "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()") ?? 0
        let previous = try Int.fetchOne(db, sql: "PRAGMA mmap_size") ?? 0
        // SQLite caps the request at its compile-time limit and reports what it took.
        try db.execute(sql: "PRAGMA mmap_size = \(max(previous, bytes + (bytes >> 3)))")
        let granted = try Int.fetchOne(db, sql: "PRAGMA mmap_size") ?? previous
        try db.execute(sql: "PRAGMA mmap_size = \(previous)")
        return MemoryMap(fileBytes: bytes, size: max(granted, previous), previous: previous)
    }

    func apply(_ db: Database) throws {
        if size != previous { try db.execute(sql: "PRAGMA mmap_size = \(size)") }
    }

    func restore(_ db: Database) {
        if size != previous { try? db.execute(sql: "PRAGMA mmap_size = \(previous)") }
    }
}

/// Where verdict bytes go; called in input order, one batch at a time.
protocol BatchSink: AnyObject, Sendable {
    func write(_ bytes: [UInt8]) throws
}

/// Writes to a file descriptor, retrying short writes.
final class DescriptorSink: BatchSink, @unchecked Sendable {
    let fd: Int32
    init(fd: Int32) { self.fd = fd }
    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { buf in
            var off = 0
            while off < buf.count {
                guard let base = buf.baseAddress else { return }
                let n = Foundation.write(fd, base + off, buf.count - off)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw BatchError(message: "cannot write the output: \(String(cString: strerror(errno)))")
                }
                off += n
            }
        }
    }
}

/// Collects the output in memory (tests, small files, the HTTP layer).
final class MemorySink: BatchSink, @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [UInt8] = []
    var bytes: [UInt8] { lock.withLock { storage } }
    func write(_ bytes: [UInt8]) throws { lock.withLock { storage.append(contentsOf: bytes) } }
}

/// The hand-off between the reading thread and the workers, and the in-order writer.
final class BatchPipeline: @unchecked Sendable {
    private let cond = NSCondition()
    private var queue: [BatchChecker.Batch] = []
    private var closed = false
    private var done: [Int: ([UInt8], BatchRowProcessor.Tally)] = [:]
    private var next = 0
    private var inFlight = 0
    private let maxInFlight: Int
    private let sink: any BatchSink
    private(set) var failure: (any Error)?
    private(set) var tally = BatchRowProcessor.Tally()
    private var workerCPU: [Int: Double] = [:]

    /// Each worker's CPU seconds, in worker order.
    var workerSeconds: [Double] {
        cond.lock(); defer { cond.unlock() }
        return workerCPU.keys.sorted().map { workerCPU[$0]! }
    }

    /// Records a worker's CPU seconds as it ends.
    func finished(index: Int, cpu: Double) {
        cond.lock(); defer { cond.unlock() }
        workerCPU[index] = cpu
    }

    init(sink: any BatchSink, maxInFlight: Int) {
        self.sink = sink
        self.maxInFlight = maxInFlight
    }

    /// Hands a batch to the workers; waits while too many are in flight (memory stays flat).
    func push(_ b: BatchChecker.Batch) throws {
        cond.lock(); defer { cond.unlock() }
        while inFlight >= maxInFlight && failure == nil { cond.wait() }
        if let failure { throw failure }
        queue.append(b)
        inFlight += 1
        cond.broadcast()
    }

    /// The next batch, or nil when the input is finished (or the run failed).
    func pop() -> BatchChecker.Batch? {
        cond.lock(); defer { cond.unlock() }
        while queue.isEmpty && !closed && failure == nil { cond.wait() }
        guard failure == nil, !queue.isEmpty else { return nil }
        return queue.removeFirst()
    }

    /// Stores a finished batch and writes every batch that is now next in order.
    func complete(seq: Int, bytes: [UInt8], tally t: BatchRowProcessor.Tally) {
        cond.lock(); defer { cond.unlock() }
        done[seq] = (bytes, t)
        while let (out, t) = done.removeValue(forKey: next) {
            if failure == nil {
                do { try sink.write(out) } catch { failure = error }
            }
            tally.rows += t.rows; tally.valid += t.valid; tally.found += t.found; tally.flagged += t.flagged; tally.errors += t.errors
            next += 1
            inFlight -= 1
        }
        cond.broadcast()
    }

    func fail(_ error: any Error) {
        cond.lock(); defer { cond.unlock() }
        if failure == nil { failure = error }
        cond.broadcast()
    }

    func close() {
        cond.lock(); defer { cond.unlock() }
        closed = true
        cond.broadcast()
    }
}

/// CPU time of the calling thread.
enum ThreadClock {
    static func cpuSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}
