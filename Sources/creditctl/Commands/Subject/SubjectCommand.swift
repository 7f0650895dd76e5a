import ArgumentParser
import CreditRegistry
import Foundation

/// `creditctl subject …`: look up one subject or search by name.
struct SubjectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subject",
        abstract: "Look up a subject by any identifier, or search by name.",
        subcommands: [Show.self, Search.self, BenchCommand.self]
    )

    /// Opens an existing registry; a missing file is an error, not a new empty registry.
    static func openRegistry(_ path: String) throws -> Registry {
        guard FileManager.default.fileExists(atPath: path) else {
            Terminal.err("creditctl: no registry at \(path) (use --db)\n")
            throw ExitCode(74)
        }
        return try Registry(path: path)
    }

    /// The actor recorded in the audit log when none is given.
    static var defaultActor: String { "cli:" + (ProcessInfo.processInfo.environment["USER"] ?? "unknown") }
}
