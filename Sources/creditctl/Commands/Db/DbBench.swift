import ArgumentParser
import CreditOperations
import CreditRegistry
import Foundation

/// `creditctl db bench` (hidden; bench/postgres.sh): the measures look-up and name search
/// through the same use-cases on a SQLite registry and on its PostgreSQL copy, in one run,
/// latency percentiles side by side.
struct DbBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Look-up and name-search latency on SQLite and on PostgreSQL, side by side.", shouldDisplay: false)
    @Option(help: "The SQLite registry.") var sqlite: String
    @Option(help: "Its PostgreSQL copy (postgres:// URL).") var postgres: String
    @Option(help: "Audit key file for the PostgreSQL registry.") var auditKey: String
    @Option(help: "File of codes to look up, one a line.") var codes: String
    @Option(help: "File of name queries, one a line.") var queries: String
    @Option(help: "Look-ups per measurement.") var lookups = 5000
    @OptionGroup var logging: LoggingOptions

    func run() throws {
        let codeList = try Self.lines(codes), queryList = try Self.lines(queries)
        guard !codeList.isEmpty, !queryList.isEmpty else { throw ValidationError("--codes and --queries must not be empty") }
        let lite = try OpenRegistry.operations(sqlite, logging: logging, mustExist: true)
        let pg = try OpenRegistry.operations(postgres, logging: logging, mustExist: true, auditKey: auditKey, postgres: true, command: "db bench")
        let viewer = Viewer(actor: "bench", maySeePersonalIDs: false)
        print("look-up and name search through CreditOperations: \(lookups) look-ups of \(codeList.count) codes, \(queryList.count) name queries")
        print(Self.pad("") + "     p50 ms     p99 ms")
        for (label, ops) in [("SQLite (baseline)", lite), ("PostgreSQL", pg)] {
            let look = try Self.time(lookups) { k in
                _ = try ops.lookUpMeasures(codeList[k % codeList.count], viewer: viewer)
            }
            let search = try Self.time(queryList.count) { k in _ = try ops.searchNames(queryList[k], limit: 20, viewer: viewer) }
            Self.show("measures look-up, \(label)", look)
            Self.show("name search (audited), \(label)", search)
        }
    }

    static func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init).filter { !$0.isEmpty }
    }

    /// Runs `body` `n` times after as many warm-up runs; milliseconds per run.
    static func time(_ n: Int, _ body: (Int) throws -> Void) throws -> [Double] {
        for k in 0..<min(n, 500) { try body(k) }
        return try (0..<n).map { k in
            let t = DispatchTime.now().uptimeNanoseconds
            try body(k)
            return Double(DispatchTime.now().uptimeNanoseconds - t) / 1_000_000
        }
    }

    static func pad(_ s: String) -> String { s + String(repeating: " ", count: max(0, 44 - s.count)) }

    static func show(_ label: String, _ samples: [Double]) {
        let s = samples.sorted()
        let p50 = s[s.count / 2], p99 = s[min(s.count - 1, Int(Double(s.count) * 0.99))]
        print(pad(label) + String(format: " %10.3f %10.3f", p50, p99))
    }
}
