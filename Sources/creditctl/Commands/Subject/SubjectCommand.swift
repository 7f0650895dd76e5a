import ArgumentParser
import CreditRegistry
import CreditOperations
import Decisions
import CreditQuery
import Foundation

/// `creditctl subject …`: look up one subject or search by name.
struct SubjectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subject",
        abstract: "Look up a subject by any identifier, or search by name.",
        subcommands: [Show.self, Search.self, BenchCommand.self]
    )

    /// The actor recorded in the audit log when none is given.
    static var defaultActor: String { "cli:" + (ProcessInfo.processInfo.environment["USER"] ?? "unknown") }
}
