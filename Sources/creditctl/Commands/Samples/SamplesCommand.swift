import ArgumentParser

/// `creditctl samples …`: sample feeds and bank files of any size.
struct SamplesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "samples",
        abstract: "Generate sample bureau feeds and bank batch files.",
        subcommands: [SamplesGenerate.self, SamplesRead.self]
    )
}
