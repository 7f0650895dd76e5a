import ArgumentParser
import CreditRegistry
import CreditOperations
import Decisions
import CreditQuery
import CreditSamples
import FeedIngest
import Foundation

extension SamplesCommand {
    /// `creditctl samples generate`: writes feeds of any size, deterministic per seed.
    struct SamplesGenerate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate",
            abstract: "Write commerce, tax and food feeds (and a bank batch file) for N subjects.",
            discussion: """
            Writes commerce-0001-full.xml, tax-0001-full.xml, food-0001-full.xml and, with \
            --bank-rows, bank-counterparties.csv into DIR. The same seed gives the same bytes. \
            About 1.5 commerce records are written per subject.
            """
        )

        @Option(name: .long, help: "Number of subjects (companies, individual businesses, …).")
        var subjects: Int

        @Option(name: .long, help: "Random seed.")
        var seed: UInt64 = 1

        @Option(name: .long, help: "Output directory (created if missing).")
        var out: String

        @Option(name: .long, help: "Rows of the bank batch file (0: none).")
        var bankRows: Int = 0

        @Option(name: .long, help: "Output format: table or json.")
        var format: OutputFormat = .table

        func validate() throws {
            guard subjects >= 0 else { throw ValidationError("--subjects must not be negative") }
            guard bankRows >= 0 else { throw ValidationError("--bank-rows must not be negative") }
        }

        func run() throws {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let outputs = try FeedGenerator(subjects: subjects, seed: seed, bankRows: bankRows).write(to: out)
            switch format {
            case .json:
                let obj = outputs.map { ["path": $0.path, "records": $0.records, "counts": $0.counts] as [String: Any] }
                let data = try JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys, .prettyPrinted])
                print(String(decoding: data, as: UTF8.self))
            case .table, .csv:
                for o in outputs {
                    let detail = o.counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                    print("\(o.path): \(o.records) (\(detail))")
                }
            }
        }
    }
}
