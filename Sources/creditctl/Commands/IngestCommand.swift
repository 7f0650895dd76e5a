import ArgumentParser
import CreditOperations
import CreditRegistry
import CreditQuery
import Decisions
import FeedIngest
import Foundation

/// `creditctl ingest FILE...`: ingests bureau XML feeds, one transaction per feed.
struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Ingest bureau XML feeds (validated against the bureau's XSD; bad records quarantined).",
        discussion: """
        Each feed is atomic: all of it is stored or nothing. Re-ingesting a feed changes nothing. \
        Exit status: 0 all feeds ingested with no rejects; 1 some records quarantined or a feed refused; 74 database error.
        """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Accept USCCs issued before the standard settled whose check character is wrong (warning recorded).")
    var acceptLegacy = false

    @Argument(help: "Feed files, ingested in the order given.")
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one feed file") }
    }

    func run() async throws {
        let operations = try global.operations(orPostgres: "ingest")
        let reports = try FeedRunner.ingest(files: files, operations: operations, acceptLegacy: acceptLegacy, format: global.format)
        if reports.contains(where: { $0.outcome == .refused || $0.rejected > 0 }) { throw ExitCode(1) }
    }
}

/// Ingests files with progress and prints the reports: shared by `ingest` and `demo`.
enum FeedRunner {
    static func ingest(files: [String], operations: CreditOperations, acceptLegacy: Bool, format: OutputFormat) throws -> [IngestReport] {
        var reports: [IngestReport] = []
        var failure: (any Error)?
        for file in files {
            let bar = ProgressBar(label: (file as NSString).lastPathComponent)
            let outcome: FeedOutcome
            do {
                outcome = try operations.ingestFeed(path: file, acceptLegacyChecksum: acceptLegacy) { p in
                    bar.update(done: p.bytesRead, total: p.fileSize, items: p.records)
                }
            } catch {
                // One file's failure (a database error, say) does not stop the files after it.
                bar.finish()
                if failure == nil { failure = error }
                var report = IngestReport(file: file, outcome: .refused)
                report.reason = "\(file): \(error)"
                reports.append(report)
                emit(report, format: format, index: reports.count)
                continue
            }
            bar.finish()
            let report = outcome.report
            let reevaluation = outcome.reevaluation
            if let reevaluation, format == .table { announce(reevaluation) }
            reports.append(report)
            if format == .json, let reevaluation { print(JSON.line(["reevaluation": reevaluation])) }
            emit(report, format: format, index: reports.count)
        }
        if files.count > 1 { Terminal.err(summary(reports)) }
        if let failure { throw failure }
        return reports
    }

    /// One line per file and the totals, for a run over several files.
    static func summary(_ reports: [IngestReport]) -> String {
        var s = "\(reports.count) files: \(reports.filter { $0.outcome == .ingested }.count) ingested, "
        s += "\(reports.filter { $0.outcome == .alreadyIngested }.count) already ingested, \(reports.filter { $0.outcome == .refused }.count) refused\n"
        for r in reports { s += "  \(r.outcome == .refused ? "REFUSED " : r.outcome == .ingested ? "ingested" : "already ")  \(r.file)\(r.rejected > 0 ? " (\(r.rejected) rejected)" : "")\n" }
        return s
    }

    private static func emit(_ report: IngestReport, format: OutputFormat, index: Int) {
        switch format {
        case .json: print(JSON.line(report))
        case .csv:
            if index == 1 { print("file,outcome,bureau,feed_id,sequence,kind,read,new,changed,unchanged,revoked,rejected,seconds,reason") }
            print([report.file, report.outcome.rawValue, report.bureau ?? "", report.feedID ?? "", report.sequence.map(String.init) ?? "",
                   report.kind ?? "", "\(report.read)", "\(report.new)", "\(report.changed)", "\(report.unchanged)",
                   "\(report.revoked)", "\(report.rejected)", String(format: "%.3f", report.seconds), report.reason ?? ""]
                .map(CSV.field).joined(separator: ","))
        case .table: print(render(report))
        }
    }

    /// Tells a person what the re-evaluation after a feed did.
    static func announce(_ s: DecisionMaterialiser.Summary) {
        Terminal.err("  re-evaluated \(s.subjectsEvaluated) subjects (touched and related): \(s.decisions) decisions\n")
    }

    static func render(_ r: IngestReport) -> String {
        var s = "\(r.file)\n"
        switch r.outcome {
        case .refused:
            s += "  REFUSED: \(r.reason ?? "unknown reason")\n  nothing of this feed was stored\n"
            return s
        case .alreadyIngested:
            s += "  \(r.bureau ?? "")/\(r.feedID ?? "") seq \(r.sequence ?? 0): already ingested, nothing changed (\(r.unchanged) records unchanged, \(r.rejected) were rejected then)\n"
            return s
        case .ingested:
            s += "  \(r.bureau ?? "")/\(r.feedID ?? "") seq \(r.sequence ?? 0) (\(r.kind ?? "")): read \(r.read), new \(r.new), changed \(r.changed), unchanged \(r.unchanged), revoked \(r.revoked), rejected \(r.rejected)"
            s += String(format: " in %.2f s (%.0f records/s)\n", r.seconds, r.recordsPerSecond)
        }
        for j in r.rejects {
            s += "  rejected line \(j.line)\(j.key.map { " key \($0)" } ?? "")\(j.field.map { " field \($0)" } ?? ""): \(j.reason)\n"
        }
        if r.rejected > r.rejects.count { s += "  … \(r.rejected - r.rejects.count) more (creditctl feeds rejects)\n" }
        return s
    }
}
