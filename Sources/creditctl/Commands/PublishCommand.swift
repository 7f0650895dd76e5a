import ArgumentParser
import CreditOperations
import CreditQuery
import CreditRegistry
import Foundation

extension PublicationEncoding: ExpressibleByArgument {}

/// `creditctl publish --out DIR`: the city's open data of one day.
struct PublishCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Publish the public credit information of a day as open data (snapshot, delta, dictionary, manifest).",
        discussion: """
        Writes DIR/yyyy-MM-dd/ with subjects, licences, penalties and lists as CSV (UTF-8 with BOM, or GB18030 with \
        --encoding gb18030) and JSON Lines, a delta against the latest earlier publication in DIR (rows added, changed, \
        withdrawn), dictionary.json and manifest.json (record counts, SHA-256 of every file). What is public is what \
        GET /public/v1/subjects/{code} answers on that day. Natural persons are never published. \
        Exit 0 published; 65 the day is already published or a later one exists; 74 I/O or database error.
        """
    )

    @Option(name: .customLong("db"), help: "Registry: a SQLite file or a postgres:// URL (default: env CREDIT_DB, else credit.db).")
    var dbOption: String?
    @OptionGroup var audit: AuditKeyOptions
    @OptionGroup var logging: LoggingOptions
    @Option(help: "Directory of the publications (created if missing).") var out: String
    @Option(help: "Publish as of this day (yyyy-MM-dd); default today.") var asOf: String?
    @Option(help: "Encoding of the CSV files: utf8 (with BOM) or gb18030.") var encoding: PublicationEncoding = .utf8

    func validate() throws { _ = try DayArgument.optional(asOf) }

    func run() throws {
        let ops = try OpenRegistry.operations(PostgresOperations.database(dbOption), logging: logging, mustExist: true,
                                              auditKey: audit.auditKey, postgres: true, command: "publish")
        let manifest: PublicationManifest
        do {
            manifest = try ops.publish(into: out, asOf: try DayArgument.optional(asOf), encoding: encoding)
        } catch let e as PublicationError {
            Terminal.err("creditctl: \(e)\n")
            switch e {
            case .alreadyPublished, .laterPublicationExists, .unreadablePrevious: throw ExitCode(65)
            case .io: throw ExitCode(74)
            }
        } catch let e as OperationError {
            Terminal.err("creditctl: \(e)\n")
            throw ExitCode(65)
        } catch let e as PublicDefinitionError {
            Terminal.err("creditctl: \(e)\n")
            throw ExitCode(65)
        }
        print("published \(manifest.asOf) into \(out)/\(manifest.asOf)" + (manifest.previous.map { " (delta against \($0))" } ?? " (first publication)"))
        for dataset in PublicDataset.allCases {
            let c = manifest.counts[dataset.rawValue] ?? .init()
            print("  \(dataset.rawValue): \(c.snapshot) rows; delta +\(c.added) ~\(c.changed) -\(c.withdrawn)")
        }
    }
}
