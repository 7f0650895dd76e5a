import ArgumentParser
import CreditRegistry

extension SamplesCommand {
    /// `creditctl samples generate`: writes feeds of any size, deterministic per seed.
    struct SamplesGenerate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate",
            abstract: "Write commerce, tax and food feeds (and a bank batch file) for N subjects."
        )
        func run() throws {}
    }
}
