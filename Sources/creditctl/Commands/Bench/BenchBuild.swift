import ArgumentParser
import Foundation

/// `creditctl subject bench build`: generates the benchmark registry (and measures the
/// per-name cost of the search-index triggers on a small sample).
struct BenchBuild: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "build", abstract: "Generate the benchmark registry.")

    @OptionGroup var bench: BenchOptions

    func run() throws {
        try? FileManager.default.removeItem(atPath: bench.db + ".size")
        _ = try BenchData.open(path: bench.db, subjects: bench.subjects)
        try BenchTriggerCost.measure()
    }
}
