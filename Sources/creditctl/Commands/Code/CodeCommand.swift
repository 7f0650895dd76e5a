import ArgumentParser

/// `creditctl code`: identifier tools (USCC, organisation code, registration number, resident ID).
struct CodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "code",
        abstract: "Validate and decode identifiers: USCC, organisation code, registration number, resident ID.",
        subcommands: [CodeValidate.self, CodeGenerate.self]
    )
}
