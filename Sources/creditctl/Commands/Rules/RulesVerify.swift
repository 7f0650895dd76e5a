import ArgumentParser
import CreditOperations
import CreditRegistry
import Foundation

extension RulesCommand {
    /// `creditctl rules verify CODE FACT --holds|--denied`: an officer settles a fact the registry cannot show.
    struct RulesVerify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Record whether a fact the registry cannot see holds (unpaid tax, a sentence, …); measures shown 'to verify' follow it.",
            discussion: "Facts: " + VerifiableFact.allCases.map { "\($0.rawValue) (\($0.question))" }.joined(separator: "; ")
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Any identifier of the subject the fact concerns.") var identifier: String
        @Argument(help: "The fact: \(VerifiableFact.allCases.map(\.rawValue).joined(separator: ", ")).") var fact: String
        @Flag(help: "The fact is established.") var holds = false
        @Flag(help: "The fact was checked and is not established.") var denied = false
        @Option(help: "The fact holds from this day (e.g. the day a sentence was served).") var from: String?
        @Option(help: "The fact holds until this day (exclusive).") var until: String?
        @Option(help: "Who verified it (recorded as the source and in the audit log).") var officer: String = ProcessInfo.processInfo.environment["USER"] ?? "officer"

        func validate() throws {
            guard VerifiableFact(rawValue: fact) != nil else {
                throw ValidationError("unknown fact '\(fact)'; one of: \(VerifiableFact.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard holds != denied else { throw ValidationError("give exactly one of --holds or --denied") }
            _ = try DayArgument.optional(from)
            _ = try DayArgument.optional(until)
        }

        func run() throws {
            let ops = try global.existingOperations(orPostgres: "rules verify")
            let request = VerificationRequest(identifier: identifier, fact: VerifiableFact(rawValue: fact)!, holds: holds,
                                              from: try DayArgument.optional(from), until: try DayArgument.optional(until))
            let r = try ops.recordVerification(request, viewer: Viewer(actor: "cli:\(officer)", maySeePersonalIDs: false))
            switch global.format {
            case .json: print(JSON.line(r))
            default:
                print("recorded #\(r.recordID): \(r.fact) \(r.holds ? "holds" : "does not hold") for \(IdentityMask.forDisplay(r.subject))"
                      + (r.subjectsReevaluated.map { "; \($0) subjects re-evaluated" } ?? "; no active rule set"))
            }
        }
    }
}
