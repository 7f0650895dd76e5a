import ArgumentParser
import CreditOperations
import CreditRegistry

/// `creditctl feedback …`: what departments did under the joint-punishment measures.
struct FeedbackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedback",
        abstract: "Record and list the feedback of joint punishment (which department applied which measure, when).",
        subcommands: [Record.self, List.self]
    )

    /// `creditctl feedback record SUBJECT MEASURE --department D --case NO --date DAY`
    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record that a department applied a measure in force for a subject (audited, queued for the national platform)."
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The subject (USCC, resident ID, registration number, …).") var subject: String
        @Argument(help: "The measure id, as the rules name it.") var measure: String
        @Option(help: "The department that applied it (the measure's department).") var department: String
        @Option(name: .customLong("case"), help: "The department's case number.") var caseNumber: String
        @Option(help: "The day the measure was applied (yyyy-MM-dd).") var date: String
        @Option(help: "Who records it, for the audit log.") var actor: String?

        func validate() throws {
            do { _ = try Day(date) } catch { throw ValidationError("--date: \(error.description)") }
        }

        func run() throws {
            let ops = try global.existingOperations(orPostgres: "feedback record")
            let request = FeedbackRequest(subject: subject, measure: measure, department: department, caseNumber: caseNumber,
                                          appliedOn: try Day(date), officer: actor ?? SubjectCommand.defaultActor)
            let stored: Feedback
            do { stored = try ops.recordFeedback(request) } catch let e as FeedbackError {
                Terminal.err("creditctl: feedback refused: \(e.description)\n")
                throw ExitCode(65)
            }
            if global.format == .json { print(JSON.line(stored)) } else {
                print("recorded feedback \(stored.id): \(stored.measure) applied by \(stored.department) on \(stored.appliedOn), case \(stored.caseNumber) — queued for the national platform")
            }
        }
    }

    /// `creditctl feedback list SUBJECT`
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the feedback recorded for a subject.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The subject.") var subject: String

        func run() throws {
            guard let list = try global.existingOperations(orPostgres: "feedback list").feedback(of: subject) else {
                Terminal.err("creditctl: no subject with identifier \(IdentityMask.forDisplay(subject))\n")
                throw ExitCode.failure
            }
            if global.format == .json { print(JSON.line(list)); return }
            for f in list { print("\(f.id)  \(f.appliedOn)  \(f.measure)  \(f.department)  \(f.caseNumber)  \(f.officer)") }
        }
    }
}
