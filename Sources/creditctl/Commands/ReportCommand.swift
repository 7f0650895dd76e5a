import ArgumentParser
import CreditQuery
import CreditRegistry
import CreditOperations
import Decisions
import Foundation

/// `creditctl report ID`: the officer's report on one subject.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Report on a subject: identity, key persons, records with sources, measures in force and why.",
        discussion: """
        The measures of --department come first. Resident ID numbers are masked unless --unmask is given; \
        every report is recorded in the audit log, an unmasked one with a second entry. Exit 1 when not found.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, html }

    @Option(help: "Registry: a SQLite file or a postgres:// URL.")
    var db = "credit.db"

    @OptionGroup var logging: LoggingOptions
    @OptionGroup var audit: AuditKeyOptions

    @Argument(help: "Any identifier of the subject (USCC, registration number, organisation code, resident ID).")
    var identifier: String

    @Option(help: "Report as of this day (yyyy-MM-dd); default today.")
    var asOf: String?

    @Option(help: "Department id or name whose measures come first.")
    var department: String?

    @Option(help: "Output format: text, json or html.")
    var format: Format = .text

    @Flag(help: "Show resident ID numbers in full (audited).")
    var unmask = false

    @Option(help: "Who is looking, for the audit log.")
    var actor: String?

    func validate() throws { _ = try DayArgument.optional(asOf) }

    func run() throws {
        let ops = try OpenRegistry.operations(db, logging: logging, mustExist: true, auditKey: audit.auditKey, postgres: true, command: "report")
        let options = ReportBuilder.Options(asOf: try DayArgument.optional(asOf), department: department, unmask: unmask,
                                            actor: actor ?? SubjectCommand.defaultActor)
        guard let report = try ops.report(identifier, options: options) else {
            Terminal.err("creditctl: no subject with identifier \(IdentityMask.forDisplay(identifier))\n")
            throw ExitCode.failure
        }
        switch format {
        case .text: print(ReportRenderer.text(report))
        case .json: print(JSON.pretty(report))
        case .html: print(ReportRenderer.html(report), terminator: "")
        }
    }
}
