import ArgumentParser
import CreditOperations
import CreditQuery
import CreditRegistry
import Decisions
import Foundation

/// `creditctl check FILE`: the bank batch check.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a file of counterparties (code and name per row) and write one verdict per row.",
        discussion: """
        Input: CSV with a header (code column: code, credit_code, uscc, 统一社会信用代码, 代码; name column: name, 名称, \
        企业名称; other columns are passed through) or one code per line; UTF-8 (BOM optional) or GB18030/GBK. \
        Output: CSV or JSON Lines in input order; resident IDs masked. A summary goes to standard error. \
        Exit 0 when every row got a verdict (flagged rows included); 65 when the file has no code column; 74 on I/O errors.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json }

    @Option(help: "Registry: a SQLite file or a postgres:// URL.")
    var db = "credit.db"

    @OptionGroup var logging: LoggingOptions
    @OptionGroup var audit: AuditKeyOptions

    @Option(help: "Who checks, for the audit log.")
    var actor: String?

    @Argument(help: "Input file, or - for standard input.")
    var file: String

    @Option(help: "Output format: csv or json (JSON Lines).")
    var format: Format = .csv

    @Option(help: "Judge measures and lists as of this day (yyyy-MM-dd); default today.")
    var asOf: String?

    @Option(help: "Output file (default standard output).")
    var out: String?

    @Option(help: "Header name or 1-based number of the code column.")
    var codeColumn: String?

    @Option(help: "Header name or 1-based number of the name column.")
    var nameColumn: String?

    @Option(help: "Look-up threads (default: 2 on a machine with two cores or more, else 1).")
    var threads: Int?

    func validate() throws {
        _ = try DayArgument.optional(asOf)
        guard (1...16).contains(threads ?? 1) else { throw ValidationError("--threads must be between 1 and 16") }
    }

    func run() throws {
        let ops = try OpenRegistry.operations(db, logging: logging, mustExist: true, auditKey: audit.auditKey, postgres: true, command: "check")
        let input: Int32 = file == "-" ? 0 : open(file, O_RDONLY)
        guard input >= 0 else {
            Terminal.err("creditctl: cannot open \(file): \(String(cString: strerror(errno)))\n")
            throw ExitCode(74)
        }
        defer { if input != 0 { close(input) } }
        let output: Int32 = out.map { open($0, O_WRONLY | O_CREAT | O_TRUNC, 0o644) } ?? 1
        guard output >= 0 else {
            Terminal.err("creditctl: cannot write \(out ?? ""): \(String(cString: strerror(errno)))\n")
            throw ExitCode(74)
        }
        defer { if output != 1 { close(output) } }
        var st = stat()
        let total = fstat(input, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG ? Int(st.st_size) : 0
        let bar = ProgressBar(label: "check")
        let options = BatchChecker.Options(format: format == .csv ? .csv : .json, asOf: try DayArgument.optional(asOf),
                                           codeColumn: codeColumn, nameColumn: nameColumn, threads: threads)
        let summary: BatchChecker.Summary
        do {
            summary = try ops.batchCheck(input: input, output: output, options: options,
                                         viewer: Viewer(actor: actor ?? SubjectCommand.defaultActor, maySeePersonalIDs: false)) { p in
                bar.update(done: p.bytesRead, total: total, items: p.rows, unit: "rows")
            }
        } catch let e as OperationError {
            bar.finish()
            Terminal.err("creditctl: \(e.description)\n")
            throw ExitCode(65)
        }
        bar.finish()
        let rate = summary.seconds > 0 ? Double(summary.rows) / summary.seconds : 0
        Terminal.err(String(format: "rows %d, valid %d, found %d, flagged %d, errors %d; %.2f s (%.0f rows/s); %@; as of %@\n",
                            summary.rows, summary.valid, summary.found, summary.flagged, summary.errors, summary.seconds, rate,
                            summary.encoding, summary.asOf.description))
    }
}
