import ArgumentParser
import CreditSamples
import Foundation

/// `creditctl subject bench public-facts`: adds penalties and licences (双公示) to the generated
/// registry, for the publication benchmark (`bench/publish.sh`).
struct BenchPublicFacts: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "public-facts", abstract: "Add penalties and licences to the benchmark registry.")
    @OptionGroup var bench: BenchOptions

    func run() throws {
        try BenchData.generate(path: bench.db, subjects: bench.subjects) { Terminal.err($0 + "\n") }
        try PublicBenchData.add(path: bench.db, subjects: bench.subjects) { Terminal.err($0 + "\n") }
    }
}
