import ArgumentParser
import CreditRegistry
import CreditOperations
import Decisions
import CreditQuery

/// `creditctl code validate CODE...`: validates and decodes identifiers.
///
/// Exit status: 0 when every code is valid (warnings allowed), 1 when any is invalid, 64 on a
/// usage error, 74 when standard input cannot be read.
struct CodeValidate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Validate identifiers and show what they encode.",
        discussion: """
        Each CODE is checked as whatever scheme it can be (USCC, resident ID, 15-digit resident ID, \
        registration number, organisation code); an 18-digit string that could be both a USCC and a \
        resident ID is reported under the more plausible reading, with the other as an alternative. \
        Full-width characters, lower case, spaces and hyphens are accepted.

        A CODE of - reads one code per line from standard input (blank lines are skipped).

        Formats: table (a block per code), json (one JSON object per line), csv (a header and a row \
        per code); --quiet prints nothing. Resident ID numbers are shown masked (110105********002X) unless --unmask is given; \
        the input is echoed as typed.

        Exit status: 0 all valid; 1 any invalid; 64 usage error; 74 read error.
        """
    )

    @Argument(help: "Codes to check; - reads one code per line from standard input.")
    var codes: [String] = []

    @Option(name: .long, help: "Output format: table, json or csv.")
    var format: OutputFormat = .table

    @Flag(name: .long, help: "Accept a wrong USCC check character as a legacy code (with a warning).")
    var acceptLegacy = false

    @Flag(name: .long, help: "Show resident ID numbers in full.")
    var unmask = false

    @Flag(name: .shortAndLong, help: "Print nothing; answer through the exit status only.")
    var quiet = false

    func validate() throws {
        if codes.isEmpty {
            throw ValidationError("Give at least one code, or - to read codes from standard input.")
        }
    }

    func run() throws {
        var report = CodeReportWriter(format: quiet ? nil : format, acceptLegacy: acceptLegacy, unmask: unmask)
        for code in codes {
            if code == "-" {
                do {
                    try LineReader.forEachLine(fd: 0) { line in report.check(line: line, skipBlank: true) }
                } catch {
                    report.finish()
                    Terminal.err("creditctl: \(error)\n")
                    throw ExitCode(74)
                }
            } else {
                var text = code
                text.withUTF8 { report.check(line: $0, skipBlank: false) }
            }
        }
        report.finish()
        if report.invalidCount > 0 { throw ExitCode(1) }
    }
}
