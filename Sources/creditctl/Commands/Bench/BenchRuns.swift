import ArgumentParser
import CreditRegistry
import CreditOperations
import Decisions
import CreditQuery
import CreditSamples
import Foundation

/// `creditctl subject bench build`: generates the benchmark registry (and measures the
/// per-name cost of the search-index triggers on a small sample).
struct BenchBuild: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "build", abstract: "Generate the benchmark registry.")
    @OptionGroup var bench: BenchOptions

    func run() throws {
        try? FileManager.default.removeItem(atPath: bench.db + ".size")
        try BenchData.generate(path: bench.db, subjects: bench.subjects) { Terminal.err($0 + "\n") }
        Terminal.err(try TriggerCostBenchmark.measure() + "\n")
    }
}

/// `creditctl subject bench lookup`: look-up latency against a primary-key look-up.
struct BenchLookup: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lookup", abstract: "Look-up latency against a primary-key look-up.")
    @OptionGroup var bench: BenchOptions
    @Option(help: "Look-ups per measurement.") var samples = 20_000

    func run() throws {
        try LookupBenchmark.run(db: bench.db, subjects: bench.subjects, samples: samples, asOf: try OpenRegistry.clock().today(),
                                report: { print($0) }, log: { Terminal.err($0 + "\n") })
    }
}

/// `creditctl subject bench search`: name search latency.
struct BenchSearch: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "search", abstract: "Name search latency.")
    @OptionGroup var bench: BenchOptions
    @Option(help: "Queries per class.") var samples = 2000
    @Option(help: "Hits per query.") var limit = 20

    func run() throws {
        try SearchBenchmark.run(db: bench.db, subjects: bench.subjects, samples: samples, limit: limit,
                                report: { print($0) }, log: { Terminal.err($0 + "\n") })
    }
}

/// `creditctl subject bench check`: batch check throughput against its baseline.
struct BenchCheck: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Batch check throughput against its baseline.")
    @OptionGroup var bench: BenchOptions
    @Option(help: "Rows in the counterparty file.") var rows = 1_000_000
    @Option(help: "Look-up threads of the checker (default: automatic).") var threads: Int?
    @Option(help: "Runs of each side (the best is reported).") var runs = 2

    func run() throws {
        try CheckBenchmark.run(db: bench.db, subjects: bench.subjects, rows: rows, threads: threads, runs: runs,
                               report: { print($0) }, log: { Terminal.err($0 + "\n") })
    }
}
